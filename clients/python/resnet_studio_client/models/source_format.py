from enum import StrEnum

class SourceFormat(StrEnum):
    ARCHIVE = "archive"
    AUTO = "auto"
    FOLDER = "folder"
    MANIFEST_CSV = "manifest-csv"
    MANIFEST_JSONL = "manifest-jsonl"

    def __str__(self) -> str:
        return str(self.value)
