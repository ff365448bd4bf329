from app.storage.base import ObjectChanged, ObjectInfo, ObjectNotFound, ObjectStore, StorageError
from app.storage.factory import open_store

__all__ = [
    "ObjectChanged",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "StorageError",
    "open_store",
]
