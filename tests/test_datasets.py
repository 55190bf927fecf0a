"""Tests of course.datasets: real files through COURSE_DATA_DIR, bad inputs made here.

The real-data tests use the offline mirror named by ``COURSE_DATA_DIR`` (the
``course_data_dir`` fixture). Every bad input is built by the test itself in
``tmp_path`` (small synthetic IDX/CSV files), with HOME, KERAS_HOME and the
network patched so that nothing outside ``tmp_path`` is read or written.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import types
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course import datasets as ds
from course.datasets import _base
from course.datasets import fashion_mnist as fashion_module
from course.errors import CourseError, DataError

PROJECT_ROOT = Path(__file__).resolve().parents[1]

FASHION_NAMES = list(ds.FASHION_FILES.values())


# ---------------------------------------------------------------------------
# Helpers: synthetic files and an isolated environment
# ---------------------------------------------------------------------------


def idx_images(count: int, *, magic: int = 0x803, rows: int = 28, cols: int = 28) -> bytes:
    header = np.array([magic, count, rows, cols], dtype=">u4").tobytes()
    return header + np.zeros(count * rows * cols, dtype=np.uint8).tobytes()


def idx_labels(count: int, *, magic: int = 0x801, top: int = 9) -> bytes:
    labels = (np.arange(count) % 10).astype(np.uint8)
    labels[-1] = top
    return np.array([magic, count], dtype=">u4").tobytes() + labels.tobytes()


def write_gz(path: Path, payload: bytes) -> Path:
    path.write_bytes(gzip.compress(payload, compresslevel=1))
    return path


@pytest.fixture(scope="session")
def synthetic_fashion(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid, all-black Fashion-MNIST set (right headers and counts), built once."""
    folder = tmp_path_factory.mktemp("synthetic_fashion")
    write_gz(folder / "train-images-idx3-ubyte.gz", idx_images(60_000))
    write_gz(folder / "train-labels-idx1-ubyte.gz", idx_labels(60_000))
    write_gz(folder / "t10k-images-idx3-ubyte.gz", idx_images(10_000))
    write_gz(folder / "t10k-labels-idx1-ubyte.gz", idx_labels(10_000))
    return folder


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No COURSE_DATA_DIR, no project datasets/, HOME and KERAS_HOME in tmp_path.

    Any network access fails the test unless the test patches urlopen itself.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KERAS_HOME", str(home / ".keras"))
    monkeypatch.delenv(ds.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(_base, "project_dataset_dirs", lambda: [])
    monkeypatch.chdir(tmp_path)

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("unexpected network access in a test")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    return tmp_path


def cache_files(root: Path) -> list[Path]:
    """Every file (including temporary ones) under the user's Keras cache."""
    cache = root / "home" / ".keras"
    return sorted(p for p in cache.rglob("*") if p.is_file()) if cache.exists() else []


def copy_set(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in FASHION_NAMES:
        shutil.copyfile(source / name, dest / name)
    return dest


# ---------------------------------------------------------------------------
# XOR and Iris
# ---------------------------------------------------------------------------


def test_load_xor_is_the_truth_table() -> None:
    x, y = ds.load_xor()
    assert x.dtype == np.float32 and x.shape == (4, 2)
    assert y.dtype == np.int64 and y.shape == (4,)
    np.testing.assert_array_equal(x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    x[0, 0] = 5  # callers get copies
    assert ds.load_xor()[0][0, 0] == 0


def test_make_xor_cloud_shapes_labels_and_seed() -> None:
    x, y = ds.make_xor_cloud(n=400, noise=0.1, seed=3)
    assert x.dtype == np.float32 and x.shape == (400, 2)
    assert y.dtype == np.int64 and y.shape == (400,)
    assert np.bincount(y).tolist() == [200, 200]
    corner = np.round(x).astype(int)  # with noise 0.1 nearly every point rounds to its corner
    assert np.mean((corner[:, 0] ^ corner[:, 1]) == y) > 0.99
    x2, y2 = ds.make_xor_cloud(n=400, noise=0.1, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(x, ds.make_xor_cloud(n=400, noise=0.1, seed=4)[0])
    x0, y0 = ds.make_xor_cloud(n=8, noise=0.0)
    np.testing.assert_array_equal(x0[:, 0].astype(int) ^ x0[:, 1].astype(int), y0)


@pytest.mark.parametrize(
    "kwargs", [{"n": 0}, {"n": -5}, {"n": 2.5}, {"noise": -0.1}, {"noise": "x"}]
)
def test_make_xor_cloud_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(DataError, match="make_xor_cloud"):
        ds.make_xor_cloud(**kwargs)


def test_load_iris_split_is_stratified_and_seeded() -> None:
    (x_train, y_train), (x_test, y_test) = ds.load_iris()
    assert x_train.shape == (120, 4) and x_test.shape == (30, 4)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert np.bincount(y_test).tolist() == [10, 10, 10]
    assert np.bincount(y_train).tolist() == [40, 40, 40]
    (x_again, _), _ = ds.load_iris()
    np.testing.assert_array_equal(x_train, x_again)
    (x_other, _), _ = ds.load_iris(seed=7)
    assert not np.array_equal(x_train, x_other)
    assert len(ds.IRIS_FEATURES_ES) == 4 and ds.IRIS_CLASSES == (
        "setosa",
        "versicolor",
        "virginica",
    )
    with pytest.raises(DataError, match="test_size"):
        ds.load_iris(test_size=1.5)


# ---------------------------------------------------------------------------
# Fashion-MNIST on the real files
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fashion(course_data_dir: Path):
    return ds.load_fashion_mnist()


def test_fashion_mnist_contract(fashion) -> None:
    (x_train, y_train), (x_test, y_test) = fashion
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert y_train.shape == (60_000,) and y_test.shape == (10_000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    assert np.bincount(y_train, minlength=10).tolist() == [6_000] * 10
    assert np.bincount(y_test, minlength=10).tolist() == [1_000] * 10
    assert abs(x_train.mean() / 255.0 - 0.286) < 0.001
    assert x_train.max() == 255 and x_train.min() == 0
    assert len(ds.FASHION_CLASSES_EN) == len(ds.FASHION_CLASSES_ES) == 10
    assert ds.FASHION_CLASSES_ES[0] == "Camiseta/top" and ds.FASHION_CLASSES_ES[9] == "Bota"


def test_fashion_mnist_data_dir_argument_and_subfolder(
    course_data_dir: Path, isolated: Path, fashion
) -> None:
    folder = course_data_dir / "fashion-mnist"
    flat = copy_set(folder, isolated / "flat")
    (x_a, y_a), _ = ds.load_fashion_mnist(data_dir=flat)  # files directly in data_dir
    (x_b, y_b), _ = ds.load_fashion_mnist(data_dir=course_data_dir)  # in its fashion-mnist/
    np.testing.assert_array_equal(y_a, fashion[0][1])
    np.testing.assert_array_equal(x_b, fashion[0][0])
    assert cache_files(isolated) == []


def test_fashion_mnist_reuses_the_keras_cache(course_data_dir: Path, isolated: Path) -> None:
    cache = ds.fashion_mnist_cache_dir()
    assert cache == isolated / "home" / ".keras" / "datasets" / "fashion-mnist"
    copy_set(course_data_dir / "fashion-mnist", cache)
    (_, y_train), (_, y_test) = ds.load_fashion_mnist()  # urlopen is patched to fail
    assert len(y_train) == 60_000 and len(y_test) == 10_000


def test_course_data_dir_wins_over_the_cache(
    synthetic_fashion: Path, course_data_dir: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_set(synthetic_fashion, ds.fashion_mnist_cache_dir())
    monkeypatch.setenv(ds.DATA_DIR_ENV, str(course_data_dir))
    (x_train, _), _ = ds.load_fashion_mnist()
    assert x_train.max() == 255  # the real images, not the all-black cache copy


# ---------------------------------------------------------------------------
# Fashion-MNIST: bad files made by the tests
# ---------------------------------------------------------------------------


def test_synthetic_set_is_valid(synthetic_fashion: Path, isolated: Path) -> None:
    (x_train, y_train), (x_test, y_test) = ds.load_fashion_mnist(data_dir=synthetic_fashion)
    assert x_train.shape == (60_000, 28, 28) and y_test.shape == (10_000,)
    assert x_train.max() == 0 and y_train.max() == 9


BAD_FASHION = {
    "truncated gzip": (
        "t10k-images-idx3-ubyte.gz",
        lambda p: p.write_bytes(gzip.compress(idx_images(10_000), 1)[:-200]),
        "truncado",
    ),
    "not gzip": (
        "train-labels-idx1-ubyte.gz",
        lambda p: p.write_bytes(idx_labels(60_000)),
        "no es un archivo gzip",
    ),
    "corrupt deflate data": (
        "t10k-labels-idx1-ubyte.gz",
        lambda p: p.write_bytes(gzip.compress(idx_labels(10_000), 1)[:12] + b"\xff" * 400),
        "dañado",
    ),
    "wrong magic": (
        "t10k-images-idx3-ubyte.gz",
        lambda p: write_gz(p, idx_images(10_000, magic=0x801)),
        "número mágico",
    ),
    "labels file in place of images": (
        "t10k-images-idx3-ubyte.gz",
        lambda p: write_gz(p, idx_labels(10_000)),
        "número mágico",
    ),
    "wrong image count": (
        "train-images-idx3-ubyte.gz",
        lambda p: write_gz(p, idx_images(59_999)),
        "declara 59999 imágenes",
    ),
    "wrong image size": (
        "t10k-images-idx3-ubyte.gz",
        lambda p: write_gz(p, idx_images(10_000, rows=32, cols=32)),
        "32x32",
    ),
    "missing pixels": (
        "t10k-images-idx3-ubyte.gz",
        lambda p: write_gz(p, idx_images(10_000)[:-784]),
        "incompleto",
    ),
    "labels out of range": (
        "train-labels-idx1-ubyte.gz",
        lambda p: write_gz(p, idx_labels(60_000, top=10)),
        "fuera del rango 0-9",
    ),
    "empty file": ("t10k-labels-idx1-ubyte.gz", lambda p: p.write_bytes(b""), "vacío"),
    "empty gzip": ("t10k-labels-idx1-ubyte.gz", lambda p: write_gz(p, b""), "demasiado corto"),
}


@pytest.mark.parametrize("case", list(BAD_FASHION))
@pytest.mark.parametrize("via", ["argument", "env"])
def test_bad_fashion_file_gives_clear_error(
    case: str, via: str, synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, damage, words = BAD_FASHION[case]
    folder = copy_set(synthetic_fashion, isolated / "data" / "fashion-mnist")
    damage(folder / name)
    if via == "env":
        monkeypatch.setenv(ds.DATA_DIR_ENV, str(isolated / "data"))
        call = ds.load_fashion_mnist
    else:

        def call():
            return ds.load_fashion_mnist(data_dir=folder)

    with pytest.raises(DataError) as info:
        call()
    message = str(info.value)
    assert words in message
    assert str(folder / name) in message  # names the file
    assert "Cómo solucionarlo" in message and ds.DATA_DIR_ENV in message
    assert isinstance(info.value, CourseError)
    assert cache_files(isolated) == []  # nothing downloaded, nothing left behind


def test_explicit_data_dir_without_files_lists_what_is_missing(
    synthetic_fashion: Path, isolated: Path
) -> None:
    folder = copy_set(synthetic_fashion, isolated / "partial")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError) as info:
        ds.load_fashion_mnist(data_dir=folder)
    message = str(info.value)
    assert "Carpetas buscadas" in message and str(folder) in message
    assert "faltan: t10k-labels-idx1-ubyte.gz" in message
    assert cache_files(isolated) == []


def test_offline_without_files_gives_the_offline_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def offline(url, *args, **kwargs):
        calls.append(url if isinstance(url, str) else url.full_url)
        raise urllib.error.URLError(OSError(101, "Network is unreachable"))

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DataError) as info:
        ds.load_fashion_mnist()
    message = str(info.value)
    assert calls and calls[0].startswith(ds.FASHION_URL)
    assert [c for c in calls if c.startswith(ds.FASHION_MIRRORS[1])]  # the fallback was tried
    assert "descarga oficial falló" in message and "internet" in message
    assert "Carpetas buscadas" in message and str(ds.fashion_mnist_cache_dir()) in message
    assert f"{ds.DATA_DIR_ENV} no está definida" in message
    assert "Traceback" not in message
    assert cache_files(isolated) == []


def test_download_false_never_touches_the_network(isolated: Path) -> None:
    with pytest.raises(DataError, match="descarga desactivada"):
        ds.load_fashion_mnist(download=False)  # urlopen is patched to fail the test


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serve(monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> list[str]:
    """Patch urlopen to serve ``files`` by name, and checksums to match them."""
    requested: list[str] = []

    def fake_urlopen(url, *args, **kwargs):
        name = url.rsplit("/", 1)[-1]
        requested.append(name)
        return FakeResponse(files[name])

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    checksums = {
        name: (len(data), hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest())
        for name, data in files.items()
    }
    monkeypatch.setattr(fashion_module, "FASHION_OFFICIAL_CHECKSUMS", checksums)
    return requested


def test_download_writes_validated_files_into_the_cache(
    synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {name: (synthetic_fashion / name).read_bytes() for name in FASHION_NAMES}
    requested = serve(monkeypatch, files)
    (x_train, _), (_, y_test) = ds.load_fashion_mnist()
    assert sorted(requested) == sorted(FASHION_NAMES)
    assert x_train.shape == (60_000, 28, 28) and y_test.shape == (10_000,)
    cache = ds.fashion_mnist_cache_dir()
    assert cache_files(isolated) == sorted(cache / name for name in FASHION_NAMES)
    requested.clear()
    ds.load_fashion_mnist()  # second call: read from the cache, no download
    assert requested == []


def test_download_with_wrong_checksum_leaves_nothing(
    synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {name: (synthetic_fashion / name).read_bytes() for name in FASHION_NAMES}
    serve(monkeypatch, files)
    tampered = dict(fashion_module.FASHION_OFFICIAL_CHECKSUMS)
    size, _, md5 = tampered["train-images-idx3-ubyte.gz"]
    tampered["train-images-idx3-ubyte.gz"] = (size, "0" * 64, md5)
    monkeypatch.setattr(fashion_module, "FASHION_OFFICIAL_CHECKSUMS", tampered)
    with pytest.raises(DataError) as info:
        ds.load_fashion_mnist()
    assert "no coincide con el archivo oficial" in str(info.value)
    names = [p.name for p in cache_files(isolated)]
    assert "train-images-idx3-ubyte.gz" not in names
    assert not [n for n in names if n.endswith(".part")]


def test_download_with_bad_content_leaves_nothing(
    synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {name: (synthetic_fashion / name).read_bytes() for name in FASHION_NAMES}
    files["train-labels-idx1-ubyte.gz"] = files["train-labels-idx1-ubyte.gz"][:-100]  # truncated
    serve(monkeypatch, files)  # the checksums "match" the truncated bytes
    with pytest.raises(DataError, match="truncado"):
        ds.load_fashion_mnist()
    names = [p.name for p in cache_files(isolated)]
    assert "train-labels-idx1-ubyte.gz" not in names
    assert not [n for n in names if n.endswith(".part")]


def test_damaged_cache_copy_is_replaced_by_a_download(
    synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = copy_set(synthetic_fashion, ds.fashion_mnist_cache_dir())
    good = (cache / "t10k-labels-idx1-ubyte.gz").read_bytes()
    (cache / "t10k-labels-idx1-ubyte.gz").write_bytes(good[:-50])  # interrupted earlier
    requested = serve(monkeypatch, {"t10k-labels-idx1-ubyte.gz": good})
    (_, _), (_, y_test) = ds.load_fashion_mnist()
    assert requested == ["t10k-labels-idx1-ubyte.gz"]  # only the damaged file
    assert y_test.shape == (10_000,)
    assert (cache / "t10k-labels-idx1-ubyte.gz").read_bytes() == good
    assert len(cache_files(isolated)) == 4


def test_damaged_cache_copy_offline_explains_both_problems(
    synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = copy_set(synthetic_fashion, ds.fashion_mnist_cache_dir())
    (cache / "train-labels-idx1-ubyte.gz").write_bytes(b"")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("sin red")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DataError) as info:
        ds.load_fashion_mnist()
    message = str(info.value)
    assert "vacío" in message and "también falló" in message and "internet" in message
    with pytest.raises(DataError, match="vacío"):
        ds.load_fashion_mnist(download=False)
    assert sorted(p.name for p in cache_files(isolated)) == sorted(FASHION_NAMES)


def test_unwritable_cache_gives_the_spanish_error_before_any_download(
    synthetic_fashion: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {name: (synthetic_fashion / name).read_bytes() for name in FASHION_NAMES}
    requested = serve(monkeypatch, files)
    blocker = isolated / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(DataError) as info:
        ds.download_fashion_mnist(blocker / "fashion-mnist")
    message = str(info.value)
    assert f"No se puede escribir en la caché {blocker / 'fashion-mnist'}" in message
    assert "define KERAS_HOME o COURSE_DATA_DIR" in message
    assert requested == []  # nothing was fetched that could not be stored


def test_official_checksums_are_complete() -> None:
    assert set(ds.FASHION_OFFICIAL_CHECKSUMS) == set(FASHION_NAMES)
    for size, sha256, md5 in ds.FASHION_OFFICIAL_CHECKSUMS.values():
        assert size > 5000 and len(sha256) == 64 and len(md5) == 32
    assert ds.FASHION_URL.startswith("https://")


# ---------------------------------------------------------------------------
# Shipping on the real file
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipping(course_data_dir: Path) -> pd.DataFrame:
    return ds.load_shipping()


def test_load_shipping_real_file(shipping: pd.DataFrame) -> None:
    assert shipping.shape == (10_999, 12)
    assert list(shipping.columns) == list(ds.SHIPPING_COLUMNS)
    assert shipping.columns[0] == "ID"  # the BOM is not part of the first name
    assert not shipping.isna().any().any()
    assert set(shipping["Gender"]) == {"F", "M"}
    assert set(shipping[ds.SHIPPING_TARGET]) == {0, 1}
    assert shipping[ds.SHIPPING_TARGET].dtype == np.int64
    assert 0.55 < shipping[ds.SHIPPING_TARGET].mean() < 0.65  # about 60 % late (1 = NOT on time)
    assert ds.SHIPPING_TARGET == "Reached.on.Time_Y.N"
    assert "NO" in ds.SHIPPING_TARGET_MEANING[1]


def test_prepare_shipping_features_and_scaler(shipping: pd.DataFrame) -> None:
    (x_train, y_train), (x_test, y_test), names = ds.prepare_shipping(shipping)
    assert x_train.shape == (7_699, 18) and x_test.shape == (3_300, 18)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert len(names) == 18 and len(set(names)) == 18
    assert "ID" not in names and ds.SHIPPING_TARGET not in names and "Gender" in names
    assert "Warehouse_block_F" in names and "Product_importance_medium" in names
    # StandardScaler fitted on the training part only.
    np.testing.assert_allclose(x_train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(x_train.std(axis=0), 1.0, atol=1e-4)
    assert np.abs(x_test.mean(axis=0)).max() > 1e-3
    # Same split and same result when loaded by the function itself.
    (x_again, y_again), _, names_again = ds.prepare_shipping()
    np.testing.assert_array_equal(x_train, x_again)
    np.testing.assert_array_equal(y_train, y_again)
    assert names == names_again
    # Gender is 0/1 before scaling: two distinct scaled values.
    assert len(np.unique(x_train[:, names.index("Gender")])) == 2


def test_shipping_data_dir_argument_and_flat_layout(
    course_data_dir: Path, isolated: Path, shipping: pd.DataFrame
) -> None:
    flat = isolated / "flat"
    flat.mkdir()
    shutil.copyfile(course_data_dir / "shipping" / "Train.csv", flat / "Train.csv")
    pd.testing.assert_frame_equal(ds.load_shipping(data_dir=flat), shipping)
    pd.testing.assert_frame_equal(ds.load_shipping(path=flat / "Train.csv"), shipping)


# ---------------------------------------------------------------------------
# Shipping: bad files made by the tests
# ---------------------------------------------------------------------------


def synthetic_shipping(rows: int = ds.SHIPPING_ROWS) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "ID": np.arange(1, rows + 1),
            "Warehouse_block": rng.choice(list("ABCDF"), rows),
            "Mode_of_Shipment": rng.choice(["Flight", "Road", "Ship"], rows),
            "Customer_care_calls": rng.integers(2, 8, rows),
            "Customer_rating": rng.integers(1, 6, rows),
            "Cost_of_the_Product": rng.integers(96, 311, rows),
            "Prior_purchases": rng.integers(2, 11, rows),
            "Product_importance": rng.choice(["low", "medium", "high"], rows),
            "Gender": rng.choice(["F", "M"], rows),
            "Discount_offered": rng.integers(1, 66, rows),
            "Weight_in_gms": rng.integers(1001, 7847, rows),
            ds.SHIPPING_TARGET: rng.integers(0, 2, rows),
        }
    )


def write_csv(df: pd.DataFrame, folder: Path, *, bom: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Train.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig" if bom else "utf-8")
    return path


def test_synthetic_csv_with_and_without_bom_loads(isolated: Path) -> None:
    with_bom = write_csv(synthetic_shipping(), isolated / "a")
    without = write_csv(synthetic_shipping(), isolated / "b", bom=False)
    assert with_bom.read_bytes()[:3] == b"\xef\xbb\xbf" and without.read_bytes()[:2] == b"ID"
    a, b = ds.load_shipping(path=with_bom), ds.load_shipping(path=without)
    pd.testing.assert_frame_equal(a, b)
    assert list(b.columns) == list(ds.SHIPPING_COLUMNS) and b.shape == (10_999, 12)
    (x_train, _), (x_test, _), names = ds.prepare_shipping(b)
    assert x_train.shape[1] == x_test.shape[1] == len(names) == 18


def _drop_weight(df):
    return df.drop(columns=["Weight_in_gms"])


def _rename_target(df):
    return df.rename(columns={ds.SHIPPING_TARGET: "Reached_on_time"})


def _text_in_cost(df):
    df = df.astype({"Cost_of_the_Product": object})
    df.loc[41, "Cost_of_the_Product"] = "doscientos"
    return df


def _missing_rating(df):
    df = df.astype({"Customer_rating": float})
    df.loc[7, "Customer_rating"] = np.nan
    return df


def _bad_gender(df):
    df.loc[3, "Gender"] = "X"
    return df


def _bad_target(df):
    df.loc[3, ds.SHIPPING_TARGET] = 2
    return df


BAD_CSV = {
    "missing column": (_drop_weight, ["faltan las columnas Weight_in_gms"]),
    "renamed column": (_rename_target, ["faltan las columnas Reached.on.Time_Y.N", "sobran"]),
    "non-numeric value": (_text_in_cost, ["no numérico", "Cost_of_the_Product", "doscientos"]),
    "missing value": (_missing_rating, ["valores vacíos", "Customer_rating"]),
    "gender not F/M": (_bad_gender, ["Gender", "'X'"]),
    "target not 0/1": (_bad_target, [ds.SHIPPING_TARGET, "valores no válidos"]),
    "too few rows": (lambda df: df.iloc[:-10], ["10989 filas", "10999"]),
    "duplicate ids": (lambda df: df.assign(ID=1), ["repetidos"]),
}


def test_semicolon_csv_gets_a_separator_hint(isolated: Path) -> None:
    path = isolated / "Train.csv"
    synthetic_shipping().to_csv(path, index=False, sep=";", encoding="utf-8-sig")
    with pytest.raises(DataError, match="separador"):
        ds.load_shipping(path=path)


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_bad_csv_gives_clear_error(
    case: str, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damage, words = BAD_CSV[case]
    path = write_csv(damage(synthetic_shipping()), isolated / "data" / "shipping")
    monkeypatch.setenv(ds.DATA_DIR_ENV, str(isolated / "data"))
    with pytest.raises(DataError) as info:
        ds.load_shipping()
    message = str(info.value)
    for word in words:
        assert word in message
    assert str(path) in message and "Cómo solucionarlo" in message


@pytest.mark.parametrize(
    "content, words",
    [(b"", "vacío"), (b"\xef\xbb\xbf", "No se pudo leer"), (b"ID;Gender\n\xff\xfe\x00", "UTF-8")],
)
def test_unreadable_csv_gives_clear_error(content: bytes, words: str, isolated: Path) -> None:
    path = isolated / "Train.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=words) as info:
        ds.load_shipping(path=path)
    assert str(path) in str(info.value) and "kaggle.com" in str(info.value)


def test_missing_shipping_file_explains_the_manual_download(isolated: Path) -> None:
    with pytest.raises(DataError) as info:
        ds.load_shipping()
    message = str(info.value)
    assert "Train.csv" in message and "Carpetas buscadas" in message
    assert ds.SHIPPING_KAGGLE_URL in message and "cuenta" in message
    assert ds.DATA_DIR_ENV in message and "shipping/Train.csv" in message


def test_prepare_shipping_rejects_a_bad_dataframe() -> None:
    with pytest.raises(DataError, match="faltan las columnas Gender"):
        ds.prepare_shipping(synthetic_shipping(50).drop(columns=["Gender"]))
    with pytest.raises(DataError, match="DataFrame"):
        ds.prepare_shipping([1, 2, 3])  # type: ignore[arg-type]


def test_fetch_shipping_kaggle_without_kagglehub(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "kagglehub", None)
    with pytest.raises(DataError) as info:
        ds.fetch_shipping_kaggle(isolated / "dest")
    message = str(info.value)
    assert "kagglehub" in message and ds.SHIPPING_KAGGLE_URL in message and "cuenta" in message
    assert not (isolated / "dest").exists()


def test_fetch_shipping_kaggle_refused_without_credentials(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("kagglehub")

    def refuse(handle: str) -> str:
        raise PermissionError("401 Unauthorized")

    fake.dataset_download = refuse  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kagglehub", fake)
    for var in ("KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(DataError) as info:
        ds.fetch_shipping_kaggle(isolated / "dest")
    message = str(info.value)
    assert "No hay credenciales de Kaggle" in message and "401" in message
    assert ds.SHIPPING_KAGGLE_URL in message and "shipping/Train.csv" in message
    assert not (isolated / "dest").exists()


def test_fetch_shipping_kaggle_with_fake_kagglehub(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    download = isolated / "kaggle_cache"
    write_csv(synthetic_shipping(), download)
    fake = types.ModuleType("kagglehub")
    handles: list[str] = []
    fake.dataset_download = lambda handle: handles.append(handle) or str(download)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kagglehub", fake)
    monkeypatch.setenv("KAGGLE_USERNAME", "alguien")
    monkeypatch.setenv("KAGGLE_KEY", "clave")
    target = ds.fetch_shipping_kaggle(isolated / "dest" / "shipping")
    assert handles == [ds.SHIPPING_KAGGLE_DATASET]
    assert target == isolated / "dest" / "shipping" / "Train.csv"
    assert ds.load_shipping(data_dir=isolated / "dest").shape == (10_999, 12)
    # Without a destination it goes to the project's datasets/, where load_shipping() looks.
    project = [("carpeta datasets/ del proyecto", isolated / "datasets")]
    monkeypatch.setattr(_base, "project_dataset_dirs", lambda: project)
    default = ds.fetch_shipping_kaggle()
    assert default == isolated / "datasets" / "shipping" / "Train.csv"
    assert ds.find_shipping_file() == default
    assert ds.load_shipping().shape == (10_999, 12)
    # A wrong file from Kaggle is not copied.
    write_csv(synthetic_shipping().drop(columns=["Gender"]), download)
    with pytest.raises(DataError, match="Gender"):
        ds.fetch_shipping_kaggle(isolated / "other")
    leftovers = list((isolated / "other").glob("*")) if (isolated / "other").exists() else []
    assert leftovers == []


def test_fetch_shipping_kaggle_into_an_unwritable_folder(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    download = isolated / "kaggle_cache"
    write_csv(synthetic_shipping(), download)
    fake = types.ModuleType("kagglehub")
    fake.dataset_download = lambda handle: str(download)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kagglehub", fake)
    blocker = isolated / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(DataError) as info:
        ds.fetch_shipping_kaggle(blocker / "shipping")
    message = str(info.value)
    assert f"No se puede escribir en la carpeta {blocker / 'shipping'}" in message
    assert "elige otra carpeta con COURSE_DATA_DIR" in message


def test_shipping_schema_is_defined_once_and_a04_uses_it() -> None:
    from course.assignments import a04

    assert len(ds.SHIPPING_COLUMNS) == 12
    assert sorted(ds.SHIPPING_COLUMNS) == sorted(
        ["ID", *ds.SHIPPING_NUMERIC, *ds.SHIPPING_CATEGORICAL, "Gender", ds.SHIPPING_TARGET]
    )
    assert a04.NUMERIC is ds.SHIPPING_NUMERIC
    assert a04.TARGET is ds.SHIPPING_TARGET
    assert a04.SHIPPING_FILE is ds.SHIPPING_FILE
    assert a04.CATEGORICAL == tuple(ds.SHIPPING_CATEGORICAL)


# ---------------------------------------------------------------------------
# Status for `course doctor` / `course data`
# ---------------------------------------------------------------------------


def test_dataset_status_with_the_real_files(course_data_dir: Path) -> None:
    statuses = {s.key: s for s in ds.dataset_status()}
    assert list(statuses) == ["xor", "iris", "shipping", "fashion_mnist"]
    assert all(s.found for s in statuses.values()), [s.detail for s in statuses.values()]
    assert statuses["shipping"].location.endswith("Train.csv")
    assert "10999 filas" in statuses["shipping"].detail
    assert statuses["fashion_mnist"].location is not None


def test_dataset_status_without_files_never_downloads(
    synthetic_fashion: Path, isolated: Path
) -> None:
    statuses = {s.key: s for s in ds.dataset_status()}  # urlopen patched to fail
    assert statuses["xor"].found and statuses["iris"].found
    assert not statuses["shipping"].found and not statuses["fashion_mnist"].found
    assert statuses["shipping"].location is None
    assert "kaggle.com" in statuses["shipping"].detail
    assert "Carpetas buscadas" in statuses["fashion_mnist"].detail
    # A present but broken set is reported as found=False with the reason.
    folder = copy_set(synthetic_fashion, isolated / "broken")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"")
    broken = {s.key: s for s in ds.dataset_status(data_dir=folder)}["fashion_mnist"]
    assert not broken.found and "vacío" in broken.detail and broken.location == str(folder)
    assert cache_files(isolated) == []


def test_status_names_are_the_spanish_display_names(isolated: Path) -> None:
    statuses = ds.dataset_status()  # urlopen patched to fail: nothing is downloaded
    assert [s.name for s in statuses] == ["XOR", "Iris", "Envíos (Pick&Deliver)", "Fashion-MNIST"]
    assert all(isinstance(s, ds.DatasetStatus) for s in statuses)


def test_every_datasets_module_says_its_one_job() -> None:
    import importlib
    import pkgutil

    modules = [info.name for info in pkgutil.iter_modules(ds.__path__)]
    assert {"_base", "xor", "iris", "shipping", "fashion_mnist"} <= set(modules)
    for name in ["__init__", *modules]:
        module = ds if name == "__init__" else importlib.import_module(f"course.datasets.{name}")
        assert module.__doc__ and "One job" in module.__doc__, name


def test_validate_all_reports_a_failed_download(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args, **kwargs):
        raise urllib.error.URLError("sin red")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    fashion = {s.key: s for s in ds.validate_all(download=True)}["fashion_mnist"]
    assert not fashion.found and "Descarga fallida" in fashion.detail
    assert cache_files(isolated) == []


def test_manifest_matches_the_module() -> None:
    manifest = json.loads((PROJECT_ROOT / "datasets" / "MANIFEST.json").read_text("utf-8"))
    files = manifest["fashion-mnist"]["files"]
    assert {
        name: (entry["bytes"], entry["sha256"], entry["md5"]) for name, entry in files.items()
    } == ds.FASHION_OFFICIAL_CHECKSUMS
    assert manifest["fashion-mnist"]["download_url"] == ds.FASHION_URL
    shipping = manifest["shipping"]["files"]["Train.csv"]
    assert shipping["columns"] == list(ds.SHIPPING_COLUMNS)
    assert shipping["rows"] == ds.SHIPPING_ROWS
    readme = (PROJECT_ROOT / "datasets" / "README.md").read_text("utf-8")
    for size, sha256, md5 in ds.FASHION_OFFICIAL_CHECKSUMS.values():
        assert sha256 in readme and md5 in readme and f"{size:,}" in readme


@pytest.mark.slow
def test_loaders_never_import_tensorflow(course_data_dir: Path) -> None:
    code = (
        "import sys\n"
        "from course import datasets as ds\n"
        "ds.load_xor(); ds.make_xor_cloud(); ds.load_iris(); ds.prepare_shipping()\n"
        "ds.load_fashion_mnist(download=False); ds.dataset_status()\n"
        "heavy = sorted(m for m in ('tensorflow', 'keras') if m in sys.modules)\n"
        "print(','.join(heavy) or 'none')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"
