"""The training and inference engine: torch, torchvision, numpy and Pillow only.

Nothing here may import the web, database or cloud packages: this package must run on a GPU
machine that has only torch and torchvision installed.
"""
