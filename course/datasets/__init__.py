"""Data sets of the course: one module per data set on shared resolution and fetching.

One job: the public face of the data sets. Layout (as scikit-learn's
``sklearn/datasets/``): :mod:`course.datasets._base` holds what every data set
shares (search path, Spanish "folders searched" listing, atomic writes, the
checked HTTP download, :class:`DatasetStatus`; it also records why ``pooch`` was
not adopted); :mod:`~course.datasets.xor`, :mod:`~course.datasets.iris`,
:mod:`~course.datasets.shipping` and :mod:`~course.datasets.fashion_mnist` each
hold one data set's constants, its ``load_*`` function and its ``status()``;
:mod:`course.datasets._status` gathers the statuses for ``course doctor`` and
``course data``.

One function per data set, returning NumPy arrays (or a validated pandas
DataFrame for the raw shipping table) with documented shapes and dtypes:

=====================================  ===============================================
``load_xor()``                         ``x`` float32 (4, 2), ``y`` int64 (4,)
``make_xor_cloud(n, noise, seed)``     ``x`` float32 (n, 2), ``y`` int64 (n,)
``load_iris(test_size, seed)``         ``(x_train, y_train), (x_test, y_test)``
``load_shipping(path, data_dir)``      raw ``DataFrame``, 10,999 rows x 12 columns
``prepare_shipping(df, ...)``          ``(x_train, y_train), (x_test, y_test), names``
``load_fashion_mnist(data_dir, ...)``  the ``keras.datasets.fashion_mnist`` contract
=====================================  ===============================================

Where files come from, in this order (the first folder holding the files wins):

1. an explicit ``data_dir``/``path`` argument (then *only* that place is used,
   so that a typo is reported instead of silently reading another copy);
2. the folder named by the ``COURSE_DATA_DIR`` environment variable (files
   directly in it or in its ``fashion-mnist/`` / ``shipping/`` subfolder);
3. the project's ``datasets/`` folder (next to the installed package in an
   editable install, and ``./datasets`` in the current working directory);
4. the user cache: Keras' ``~/.keras/datasets/fashion-mnist/`` (``$KERAS_HOME``
   is honoured), so a copy Keras already downloaded is reused;
5. the official download (Fashion-MNIST only), checked against the published
   checksums and written atomically into the user cache.

Everything read is validated (IDX magic numbers, dimensions, label range and
counts; CSV columns, dtypes and value sets). Every failure raises
:class:`course.errors.DataError` with a Spanish message that names the file, the
folders searched and the fix. Nothing here imports TensorFlow: pandas and
scikit-learn are imported inside the functions that need them.
"""

from __future__ import annotations

from course.datasets._base import DATA_DIR_ENV, DatasetStatus
from course.datasets._status import dataset_status, validate_all
from course.datasets.fashion_mnist import (
    FASHION_CLASSES_EN,
    FASHION_CLASSES_ES,
    FASHION_FILES,
    FASHION_MIRRORS,
    FASHION_OFFICIAL_CHECKSUMS,
    FASHION_URL,
    download_fashion_mnist,
    fashion_mnist_cache_dir,
    load_fashion_mnist,
)
from course.datasets.iris import IRIS_CLASSES, IRIS_FEATURES_ES, load_iris
from course.datasets.shipping import (
    SHIPPING_CATEGORICAL,
    SHIPPING_COLUMNS,
    SHIPPING_FILE,
    SHIPPING_KAGGLE_DATASET,
    SHIPPING_KAGGLE_URL,
    SHIPPING_NUMERIC,
    SHIPPING_ROWS,
    SHIPPING_TARGET,
    SHIPPING_TARGET_MEANING,
    default_shipping_dir,
    fetch_shipping_kaggle,
    find_shipping_file,
    load_shipping,
    prepare_shipping,
)
from course.datasets.xor import load_xor, make_xor_cloud

__all__ = [
    "DATA_DIR_ENV",
    "FASHION_CLASSES_EN",
    "FASHION_CLASSES_ES",
    "FASHION_FILES",
    "FASHION_MIRRORS",
    "FASHION_OFFICIAL_CHECKSUMS",
    "FASHION_URL",
    "IRIS_CLASSES",
    "IRIS_FEATURES_ES",
    "SHIPPING_CATEGORICAL",
    "SHIPPING_COLUMNS",
    "SHIPPING_FILE",
    "SHIPPING_KAGGLE_DATASET",
    "SHIPPING_KAGGLE_URL",
    "SHIPPING_NUMERIC",
    "SHIPPING_ROWS",
    "SHIPPING_TARGET",
    "SHIPPING_TARGET_MEANING",
    "DatasetStatus",
    "dataset_status",
    "default_shipping_dir",
    "download_fashion_mnist",
    "fashion_mnist_cache_dir",
    "fetch_shipping_kaggle",
    "find_shipping_file",
    "load_fashion_mnist",
    "load_iris",
    "load_shipping",
    "load_xor",
    "make_xor_cloud",
    "prepare_shipping",
    "validate_all",
]
