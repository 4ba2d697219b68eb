"""The plan library: listing, finding, saving, importing, exporting, deleting."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkcoach import plan as plan_module
from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, PlanError, Segment
from walkcoach.resources import seeds_dir
from walkcoach.store.paths import DataDirs
from walkcoach.store.plans import PlanLibrary, PlanNotFound, safe_stem

SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}(-\d+)?\.toml")


def plan_text(name: str, seconds: int = 300) -> str:
    return (
        f'format = 1\nname = "{name}"\n\n'
        f'[[steps]]\ndirection = "forward"\nduration = {seconds}\nspeed_kmh = 4.0\n'
    )


def make_plan(name: str) -> Plan:
    return Plan(name, (Segment("forward", 300, 4.0), Segment("backward", 60, 3.0)))


@pytest.fixture
def dirs(tmp_path: Path) -> DataDirs:
    return DataDirs.in_folder(tmp_path / "data")


@pytest.fixture
def builtin(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds-plans"
    folder.mkdir()
    (folder / "a-quick.toml").write_text(plan_text("Quick ten"), encoding="utf-8")
    (folder / "b-beginner.toml").write_text(plan_text("First steps"), encoding="utf-8")
    return folder


@pytest.fixture
def library(dirs: DataDirs, builtin: Path) -> PlanLibrary:
    return PlanLibrary(dirs, builtin_dir=builtin)


def write_user_plan(dirs: DataDirs, file_name: str, text: str) -> Path:
    dirs.plans_dir.mkdir(parents=True, exist_ok=True)
    path = dirs.plans_dir / file_name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_library_has_at_least_five_plans_that_all_load(dirs: DataDirs) -> None:
    entries = PlanLibrary(dirs).entries()
    builtin = [e for e in entries if e.source == "built-in"]
    assert len(builtin) >= 5
    for entry in builtin:
        assert entry.error is None, entry.error
        assert entry.plan is not None and entry.plan.name == entry.name
        assert entry.path.parent == seeds_dir() / "plans"


def test_lists_built_in_plans_then_the_users_by_name(library: PlanLibrary, dirs: DataDirs) -> None:
    write_user_plan(dirs, "zz.toml", plan_text("alpha"))
    write_user_plan(dirs, "aa.toml", plan_text("Beta"))
    listed = [(e.source, e.name) for e in library.entries()]
    assert listed == [
        ("built-in", "Quick ten"),
        ("built-in", "First steps"),
        ("user", "alpha"),
        ("user", "Beta"),
    ]


def test_a_broken_file_is_listed_with_its_error_and_the_rest_still_load(
    library: PlanLibrary, dirs: DataDirs
) -> None:
    write_user_plan(dirs, "good.toml", plan_text("Good"))
    broken = write_user_plan(dirs, "broken.toml", "name = \n")
    entries = {e.name: e for e in library.entries()}
    assert entries["Good"].plan is not None
    assert entries["broken"].plan is None
    assert entries["broken"].path == broken
    assert isinstance(entries["broken"].error, PlanError)
    assert str(broken) in str(entries["broken"].error)
    with pytest.raises(PlanError):
        entries["broken"].require()


def test_listing_ignores_hidden_and_other_files(library: PlanLibrary, dirs: DataDirs) -> None:
    write_user_plan(dirs, ".plan.toml.tmp1234.toml", plan_text("Temp"))
    write_user_plan(dirs, "notes.txt", "hello")
    assert [e.name for e in library.entries() if e.source == "user"] == []


def test_reading_creates_no_folder(library: PlanLibrary, dirs: DataDirs) -> None:
    library.entries()
    with pytest.raises(PlanNotFound):
        library.find("nothing")
    assert not dirs.root.exists()


def test_find_by_exact_name_then_ignoring_case_then_file_name(
    library: PlanLibrary, dirs: DataDirs
) -> None:
    write_user_plan(dirs, "mine.toml", plan_text("Quick Ten"))
    assert library.find("Quick ten").source == "built-in"
    assert library.find("Quick Ten").source == "user"
    assert library.find("first STEPS").name == "First steps"
    assert library.find("b-beginner").name == "First steps"


def test_a_users_plan_wins_over_a_built_in_one_of_the_same_name(
    library: PlanLibrary, dirs: DataDirs
) -> None:
    write_user_plan(dirs, "my-quick.toml", plan_text("Quick ten", seconds=600))
    found = library.find("Quick ten")
    assert found.source == "user"
    assert found.require().steps[0].seconds == 600  # type: ignore[union-attr]


def test_find_loads_a_file_given_by_path(library: PlanLibrary, tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(plan_text("From a file"), encoding="utf-8")
    entry = library.find(str(path))
    assert (entry.name, entry.source, entry.path) == ("From a file", "file", path)


def test_an_unknown_name_suggests_close_matches(library: PlanLibrary) -> None:
    with pytest.raises(PlanNotFound) as caught:
        library.find("quick tne")
    assert caught.value.suggestions == ("Quick ten",)
    assert str(caught.value) == (
        'no plan named "quick tne" and no such file; did you mean "Quick ten"?'
    )


def test_an_unknown_name_without_matches_says_how_to_list(library: PlanLibrary) -> None:
    with pytest.raises(PlanNotFound, match="walkcoach plans list"):
        library.find("zzzzzzzz")


def test_save_writes_a_user_plan_named_after_the_plan(library: PlanLibrary, dirs: DataDirs) -> None:
    path = library.save(make_plan("Evening_walk-2"))
    assert path == dirs.plans_dir / "Evening_walk-2.toml"
    assert plan_module.load(path) == make_plan("Evening_walk-2")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("Retro / intervals 2.0", "retro-intervals-2-0"),
        ("Rückwärts gehen", "ruckwarts-gehen"),
        ("後ろ歩き", "plan"),
        (".hidden", "hidden"),
        ("CON", "con-plan"),
        ("tab\there", "tab-here"),
    ],
)
def test_unsafe_names_get_a_safe_file_name(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


plan_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    min_size=1,
    max_size=80,
).filter(lambda n: n == n.strip() and n.strip())


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=plan_names)
def test_any_name_saves_under_a_safe_file_name_and_reloads_exactly(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    dirs = DataDirs.in_folder(tmp_path_factory.mktemp("data"))
    library = PlanLibrary(dirs, builtin_dir=dirs.root / "none")
    path = library.save(make_plan(name))
    assert path.parent == dirs.plans_dir
    assert SAFE_FILE_NAME.fullmatch(path.name), path.name
    assert library.find(name).require().name == name
    assert plan_module.load(path).name == name


def test_a_file_name_collision_gets_a_numbered_file(library: PlanLibrary, dirs: DataDirs) -> None:
    # Different names, one file name: the second plan's file is numbered.
    first = library.save(make_plan("Intervals!"))
    second = library.save(make_plan("Intervals?"))
    third = library.save(make_plan("intervals."))
    assert [first.name, second.name, third.name] == [
        "intervals.toml",
        "intervals-2.toml",
        "intervals-3.toml",
    ]
    assert [plan_module.load(p).name for p in (first, second, third)] == [
        "Intervals!",
        "Intervals?",
        "intervals.",
    ]


def test_saving_over_the_entry_replaces_its_file(library: PlanLibrary) -> None:
    path = library.save(make_plan("Mine"))
    entry = library.find("Mine")
    changed = Plan("Mine renamed", (Segment("forward", 600, 5.0),))
    assert library.save(changed, replacing=entry) == path
    assert plan_module.load(path) == changed


def test_saving_over_a_file_that_no_longer_parses_is_refused(
    library: PlanLibrary, dirs: DataDirs
) -> None:
    library.save(make_plan("Mine"))
    entry = library.find("Mine")
    corrupt = b'name = "Mine"\n[[steps]\n'
    entry.path.write_bytes(corrupt)
    with pytest.raises(WalkcoachError) as caught:
        library.save(make_plan("Mine"), replacing=entry)
    assert str(entry.path) in str(caught.value)
    assert "left untouched" in str(caught.value)
    assert entry.path.read_bytes() == corrupt
    assert sorted(p.name for p in dirs.plans_dir.iterdir()) == ["Mine.toml"]


def test_built_in_plans_cannot_be_saved_over(library: PlanLibrary, builtin: Path) -> None:
    before = (builtin / "a-quick.toml").read_bytes()
    with pytest.raises(WalkcoachError, match="built-in"):
        library.save(make_plan("Quick ten"), replacing=library.find("Quick ten"))
    assert (builtin / "a-quick.toml").read_bytes() == before


def test_an_invalid_plan_is_not_saved(library: PlanLibrary, dirs: DataDirs) -> None:
    with pytest.raises(PlanError) as caught:
        library.save(Plan("Too short", (Segment("forward", 2, 4.0),)))
    assert [p.path for p in caught.value.problems] == ["steps[0].duration"]
    assert not dirs.plans_dir.exists()


def test_import_copies_a_valid_file_into_the_users_plans(
    library: PlanLibrary, dirs: DataDirs, tmp_path: Path
) -> None:
    source = tmp_path / "shared.toml"
    text = "# from a friend\n" + plan_text("Shared walk")
    source.write_text(text, encoding="utf-8")
    entry = library.import_file(source)
    assert (entry.name, entry.source) == ("Shared walk", "user")
    assert entry.path.parent == dirs.plans_dir
    assert entry.path.read_text(encoding="utf-8") == text
    assert library.find("Shared walk").path == entry.path


def test_import_lists_every_problem_and_writes_nothing(
    library: PlanLibrary, dirs: DataDirs, tmp_path: Path
) -> None:
    source = tmp_path / "bad.toml"
    source.write_text(
        'name = "Bad"\n[[steps]]\ndirection = "sideways"\nduration = 2\nspeed_kmh = 20\n',
        encoding="utf-8",
    )
    with pytest.raises(PlanError) as caught:
        library.import_file(source)
    assert caught.value.source == str(source)
    assert [p.path for p in caught.value.problems] == [
        "steps[0].direction",
        "steps[0].duration",
        "steps[0].speed_kmh",
    ]
    assert not dirs.plans_dir.exists()


def test_import_refuses_a_name_the_user_already_has_unless_replacing(
    library: PlanLibrary, tmp_path: Path
) -> None:
    existing = library.save(make_plan("Shared walk"))
    source = tmp_path / "shared.toml"
    source.write_text(plan_text("shared WALK", seconds=900), encoding="utf-8")
    with pytest.raises(WalkcoachError, match="already have a plan named"):
        library.import_file(source)
    assert plan_module.load(existing) == make_plan("Shared walk")
    entry = library.import_file(source, replace=True)
    assert entry.path == existing
    assert plan_module.load(existing).name == "shared WALK"


@pytest.mark.parametrize("replace", [False, True])
def test_import_refuses_a_built_in_plans_name_as_a_save_does(
    library: PlanLibrary, dirs: DataDirs, builtin: Path, tmp_path: Path, replace: bool
) -> None:
    source = tmp_path / "mine.toml"
    source.write_text(plan_text(" quick TEN", seconds=900), encoding="utf-8")
    with pytest.raises(WalkcoachError) as caught:
        library.import_file(source, replace=replace)
    assert str(caught.value) == (
        '"Quick ten" is the name of a built-in plan; rename the plan in the file'
    )
    with pytest.raises(WalkcoachError, match='"Quick ten" is the name of a built-in plan'):
        library.save(plan_module.load(source))
    assert list(dirs.plans_dir.glob("*.toml")) == []
    assert plan_module.load(builtin / "a-quick.toml").steps[0].seconds == 300


def test_import_over_an_own_plan_named_like_a_built_in_still_asks_to_replace(
    library: PlanLibrary, dirs: DataDirs, tmp_path: Path
) -> None:
    # A plan kept from before such names were refused: replacing it makes no new clash.
    older = write_user_plan(dirs, "older.toml", plan_text("Quick ten"))
    source = tmp_path / "newer.toml"
    source.write_text(plan_text("Quick ten", seconds=900), encoding="utf-8")
    with pytest.raises(WalkcoachError, match="already have a plan named"):
        library.import_file(source)
    assert library.import_file(source, replace=True).path == older
    assert plan_module.load(older).steps[0].seconds == 900


def test_export_gives_toml_that_loads_back_equal(library: PlanLibrary, tmp_path: Path) -> None:
    library.save(make_plan("Mine"))
    text = library.export("Mine")
    assert plan_module.loads(text) == make_plan("Mine")
    dest = tmp_path / "out" / "mine.toml"
    assert library.export("Mine", dest) == text
    assert dest.read_text(encoding="utf-8") == text


def test_export_of_a_broken_plan_raises_its_error(
    library: PlanLibrary, dirs: DataDirs, tmp_path: Path
) -> None:
    write_user_plan(dirs, "broken.toml", "name = 3\n")
    with pytest.raises(PlanError):
        library.export("broken", tmp_path / "out.toml")
    assert not (tmp_path / "out.toml").exists()


def test_delete_removes_a_user_plan(library: PlanLibrary) -> None:
    path = library.save(make_plan("Mine"))
    library.delete(library.find("Mine"))
    assert not path.exists()
    with pytest.raises(PlanNotFound):
        library.find("Mine")


def test_built_in_plans_cannot_be_deleted(library: PlanLibrary, builtin: Path) -> None:
    with pytest.raises(WalkcoachError, match="only your own plans can be deleted"):
        library.delete(library.find("Quick ten"))
    assert (builtin / "a-quick.toml").exists()


def test_copy_saves_the_same_steps_under_a_new_name(library: PlanLibrary) -> None:
    original = library.find("Quick ten")
    copy = library.copy(original, "My quick ten")
    assert copy.source == "user"
    assert copy.require() == Plan("My quick ten", original.require().steps)
    assert library.find("My quick ten").path == copy.path


# --- writers at the same moment -------------------------------------------------------


def at_once(count: int, action: Callable[[], object]) -> list[object]:
    """Runs `action` in `count` threads released together; what each returned or raised."""
    gate = threading.Barrier(count)
    results: list[object] = []

    def run() -> None:
        gate.wait()
        try:
            results.append(action())
        except (WalkcoachError, PlanError) as exc:
            results.append(exc)

    workers = [threading.Thread(target=run) for _ in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@pytest.mark.parametrize("round_", range(5))
def test_imports_of_one_name_at_once_keep_exactly_one_and_tell_the_others(
    tmp_path: Path, builtin: Path, round_: int
) -> None:
    source = tmp_path / "desk.toml"
    source.write_text(plan_text("Desk walk"), encoding="utf-8")
    dirs = DataDirs.in_folder(tmp_path / f"data-{round_}")

    def import_it() -> object:
        # A library each, as each walkcoach process has its own.
        return PlanLibrary(dirs, builtin_dir=builtin).import_file(source)

    results = at_once(6, import_it)
    imported = [r for r in results if not isinstance(r, Exception)]
    refused = [str(r) for r in results if isinstance(r, Exception)]
    assert len(imported) == 1
    assert len(refused) == 5
    assert all(r.startswith('you already have a plan named "Desk walk"') for r in refused)
    assert [p.name for p in dirs.plans_dir.glob("*.toml")] == ["desk-walk.toml"]


def test_saves_of_one_new_name_at_once_keep_exactly_one_and_tell_the_others(
    builtin: Path, dirs: DataDirs
) -> None:
    def save_it() -> object:
        return PlanLibrary(dirs, builtin_dir=builtin).save(make_plan("Desk walk"))

    results = at_once(6, save_it)
    saved = [r for r in results if isinstance(r, Path)]
    refused = [str(r) for r in results if isinstance(r, Exception)]
    assert len(saved) == 1 and len(refused) == 5
    assert all(r.startswith('you already have a plan named "Desk walk"') for r in refused)
    assert [p.name for p in dirs.plans_dir.glob("*.toml")] == ["desk-walk.toml"]


def test_a_file_created_meanwhile_under_the_chosen_name_is_never_replaced(
    library: PlanLibrary, dirs: DataDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another program takes "desk-walk.toml" between the look for a free name and the
    # write: the plan goes to the next free name, and that file stays as it was.
    theirs = dirs.plans_dir / "desk-walk.toml"
    looked = PlanLibrary._free_path

    def free_then_taken(self: PlanLibrary, stem: str) -> Path:
        path = looked(self, stem)
        if not theirs.exists():
            write_user_plan(dirs, theirs.name, "# not a plan yet\n")
        return path

    monkeypatch.setattr(PlanLibrary, "_free_path", free_then_taken)
    path = library.save(make_plan("Desk walk"))
    assert path.name == "desk-walk-2.toml"
    assert theirs.read_text(encoding="utf-8") == "# not a plan yet\n"
    assert plan_module.load(path).name == "Desk walk"


def test_a_replace_after_a_yes_rewrites_the_file_in_place(
    library: PlanLibrary, dirs: DataDirs, tmp_path: Path
) -> None:
    source = tmp_path / "desk.toml"
    source.write_text(plan_text("Desk walk", 300), encoding="utf-8")
    first = library.import_file(source)
    source.write_text(plan_text("Desk walk", 600), encoding="utf-8")
    second = library.import_file(source, replace=True)
    assert second.path == first.path
    assert plan_module.load(first.path).steps[0].seconds == 600
    # Nothing else is left in the folder: the lock is gone with its holder.
    assert sorted(p.name for p in dirs.plans_dir.iterdir()) == ["desk-walk.toml"]
