"""The per-user model cache: built once, read back, rebuilt when broken or unwritable."""
from deboil.cleaners.cache import cached


def test_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"words": frozenset({"the", "a"})}

    assert cached("thing", build) == {"words": frozenset({"the", "a"})}
    assert cached("thing", build) == {"words": frozenset({"the", "a"})}
    assert len(calls) == 1
    assert (tmp_path / "deboil" / "thing-1.pickle").is_file()


def test_a_broken_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "deboil").mkdir()
    (tmp_path / "deboil" / "thing-1.pickle").write_bytes(b"not a pickle")
    assert cached("thing", lambda: 42) == 42
    assert cached("thing", lambda: 0) == 42  # the rebuilt value was written


def test_an_unwritable_cache_only_costs_a_rebuild(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    assert cached("thing", lambda: [1, 2]) == [1, 2]


def test_the_file_is_keyed_by_library_versions_and_format(tmp_path, monkeypatch):
    import importlib.metadata

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached("thing", lambda: 1, libraries=("numpy",), version=3)
    numpy = importlib.metadata.version("numpy")
    assert (tmp_path / "deboil" / f"thing-{numpy}-3.pickle").is_file()
