from app.storage.base import ObjectInfo, ObjectNotFound, ObjectStore, StorageError
from app.storage.factory import open_store

__all__ = ["ObjectInfo", "ObjectNotFound", "ObjectStore", "StorageError", "open_store"]
