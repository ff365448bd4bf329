from app.storage.base import (
    LinkRefused,
    ObjectChanged,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
)
from app.storage.factory import open_store

__all__ = [
    "LinkRefused",
    "ObjectChanged",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "StorageError",
    "open_store",
]
