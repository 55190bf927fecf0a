"""What ``course doctor`` and ``course data`` report about every data set.

One job: gather each data-set module's ``status()`` in the course's order, and
optionally fetch what can be fetched anonymously first.
"""

from __future__ import annotations

import dataclasses
import os

from course.datasets import fashion_mnist, iris, shipping, xor
from course.datasets._base import DatasetStatus
from course.errors import DataError


def dataset_status(data_dir: str | os.PathLike[str] | None = None) -> list[DatasetStatus]:
    """Locate and validate every data set, without downloading anything.

    Args:
        data_dir: optional folder to use instead of the usual search order.

    Returns:
        One :class:`DatasetStatus` per data set (XOR, Iris, shipping,
        Fashion-MNIST). Never raises :class:`DataError`: problems go to ``detail``.
    """
    return [xor.status(), iris.status(), shipping.status(data_dir), fashion_mnist.status(data_dir)]


def validate_all(
    data_dir: str | os.PathLike[str] | None = None, download: bool = False
) -> list[DatasetStatus]:
    """Like :func:`dataset_status`, but may first fetch what can be fetched.

    With ``download=True`` a missing Fashion-MNIST is downloaded into Keras'
    cache before the check (the shipping file cannot be fetched anonymously;
    see :func:`course.datasets.fetch_shipping_kaggle`). A failed download is
    reported in the Fashion-MNIST ``detail``.
    """
    download_error: str | None = None
    if download and fashion_mnist.locate(data_dir)[0] is None:
        try:
            fashion_mnist.download_fashion_mnist()
        except DataError as exc:
            download_error = str(exc)
    statuses = dataset_status(data_dir)
    if download_error is None:
        return statuses
    return [
        dataclasses.replace(s, detail=f"{s.detail}\nDescarga fallida: {download_error}")
        if s.key == "fashion_mnist"
        else s
        for s in statuses
    ]
