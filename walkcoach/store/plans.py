"""The plan library: the built-in plans and the user's own, as files.

Built-in plans are the TOML files in ``seeds/plans/``; the user's plans are the TOML
files in the data folder's ``plans/``. A file that fails to load is still listed (with
its error) so the user can see and fix it; nothing here ever overwrites a plan file
that fails to parse, and every write is atomic. Saves and imports hold the plans
folder's lock from the name check to the write, and a new file never replaces one,
so two walkcoach processes saving the same name at once never lose a plan.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from walkcoach import plan as plan_module
from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, PlanError, Problem
from walkcoach.resources import seeds_dir
from walkcoach.store.atomic import atomic_create_text, atomic_write_text, folder_lock
from walkcoach.store.paths import DataDirs

if TYPE_CHECKING:
    from walkcoach.formats.files import Incoming

Source = Literal["built-in", "user", "file"]

PLAN_SUFFIX: Final = ".toml"
MAX_STEM_LENGTH: Final = 64
MAX_CREATE_TRIES: Final = 100  # other writers taking each free name as it is found
_SAFE_STEM = re.compile(r"[A-Za-z0-9_-]+")
_WINDOWS_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)


class PlanEntry(NamedTuple):
    """One plan file in the library: its plan, or the error that kept it from loading.

    `name` is the plan's own name, or the file name (without .toml) when it failed.
    """

    name: str
    source: Source
    path: Path
    plan: Plan | None
    error: PlanError | None = None

    @property
    def editable(self) -> bool:
        return self.source == "user"

    def require(self) -> Plan:
        """The plan, or the `PlanError` that kept it from loading."""
        if self.plan is None:
            raise self.error or PlanError([Problem("", "could not be loaded")], str(self.path))
        return self.plan


class PlanNotFound(WalkcoachError):
    """No plan by that name (and no such file); lists the close matches."""

    def __init__(self, wanted: str, suggestions: Iterable[str] = ()) -> None:
        self.wanted = wanted
        self.suggestions = tuple(suggestions)
        message = f'no plan named "{wanted}" and no such file'
        if self.suggestions:
            message += "; did you mean " + " or ".join(f'"{s}"' for s in self.suggestions) + "?"
        else:
            message += '; "walkcoach plans list" shows the plans there are'
        super().__init__(message)


def load_entry(path: Path, source: Source) -> PlanEntry:
    """The entry for one file; never raises for what is in the file."""
    try:
        loaded = plan_module.load(path)
    except PlanError as exc:
        return PlanEntry(path.stem, source, path, None, exc)
    return PlanEntry(loaded.name, source, path, loaded)


def safe_stem(name: str) -> str:
    """A file name (without .toml) for a plan called `name`, safe on every platform.

    A name made only of ASCII letters, digits, "-" and "_" is kept as it is; any other
    name becomes a lower-case slug ("Retro / intervals 2.0" -> "retro-intervals-2-0").
    """
    if _is_safe_stem(name):
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_STEM_LENGTH]
    slug = slug.strip("-") or "plan"
    if slug in _WINDOWS_RESERVED:
        slug += "-plan"
    return slug


def _is_safe_stem(stem: str) -> bool:
    return (
        len(stem) <= MAX_STEM_LENGTH
        and _SAFE_STEM.fullmatch(stem) is not None
        and not stem.startswith("-")
        and stem.lower() not in _WINDOWS_RESERVED
    )


class PlanLibrary:
    """Lists, finds and writes plans; the screens and the command line go through it."""

    def __init__(self, dirs: DataDirs, builtin_dir: Path | None = None) -> None:
        self.dirs = dirs
        self.builtin_dir = builtin_dir if builtin_dir is not None else seeds_dir() / "plans"

    # --- reading -------------------------------------------------------------------

    def entries(self) -> list[PlanEntry]:
        """Built-in plans (in file-name order), then the user's (by name)."""
        builtin = [load_entry(p, "built-in") for p in _plan_files(self.builtin_dir)]
        user = [load_entry(p, "user") for p in _plan_files(self.dirs.plans_dir)]
        user.sort(key=lambda e: (e.name.casefold(), e.path.name))
        return builtin + user

    def user_entries(self) -> list[PlanEntry]:
        return [e for e in self.entries() if e.source == "user"]

    def find(self, name_or_path: str | Path) -> PlanEntry:
        """The plan with this name (exactly, then ignoring case, then by file name), or
        the plan in this file. A user plan wins over a built-in one of the same name.

        `PlanNotFound` (with close matches) when there is neither.
        """
        wanted = str(name_or_path)
        entries = self.entries()
        # Own plans first: a user's plan named like a built-in one is the one they mean.
        ordered = [e for e in entries if e.source == "user"] + [
            e for e in entries if e.source != "user"
        ]
        folded = wanted.strip().casefold()
        rules: tuple[Callable[[PlanEntry], bool], ...] = (
            lambda e: e.plan is not None and e.name == wanted,
            lambda e: e.plan is not None and e.name.casefold() == folded,
            lambda e: e.path.stem.casefold() == folded,
        )
        for matches in rules:
            found = next((e for e in ordered if matches(e)), None)
            if found is not None:
                return found
        path = Path(wanted).expanduser()
        if path.exists() and not path.is_dir():
            # Not only regular files: a pipe or a device is then refused by name, by
            # the reading itself, instead of being called missing.
            return load_entry(path, self._source_of(path))
        names = sorted({e.name for e in entries})
        by_fold = {n.casefold(): n for n in names}
        close = difflib.get_close_matches(folded, list(by_fold), n=3, cutoff=0.6)
        raise PlanNotFound(wanted, [by_fold[c] for c in close])

    def _source_of(self, path: Path) -> Source:
        folder = path.resolve().parent
        if folder == self.dirs.plans_dir.resolve():
            return "user"
        if folder == self.builtin_dir.resolve():
            return "built-in"
        return "file"

    # --- writing -------------------------------------------------------------------

    def save(self, plan: Plan, replacing: PlanEntry | None = None) -> Path:
        """Writes `plan` as a user plan and returns its file.

        With `replacing` (a user plan) its file is rewritten, unless that file no longer
        parses: then `WalkcoachError` and the file is left as it is. Without it, the plan
        gets a new file named after it (numbered if that name is taken).

        A name another plan (built-in or own) already has is refused (`WalkcoachError`),
        unless `replacing` had that name already.
        """
        text = plan_module.dumps(plan)
        plan_module.loads(text, f'plan "{plan.name}"')  # PlanError if it is not valid
        # Locked, so that of two saves of one name at once the second sees the first.
        with folder_lock(self.dirs.plans_dir):
            if replacing is None or plan.name.casefold() != replacing.name.casefold():
                taken = self.name_taken(plan.name, besides=replacing)
                if taken is not None:
                    raise WalkcoachError(taken_message(taken))
            return self._write(text, plan, replacing)

    def name_taken(self, name: str, besides: PlanEntry | None = None) -> PlanEntry | None:
        """The plan (built-in or own, other than `besides`) already called `name`,
        ignoring case and the spaces around it."""
        folded = name.strip().casefold()
        skip = besides.path if besides is not None else None
        return next(
            (
                e
                for e in self.entries()
                if e.plan is not None and e.path != skip and e.name.casefold() == folded
            ),
            None,
        )

    def _write(self, text: str, plan: Plan, replacing: PlanEntry | None) -> Path:
        """Writes a new file for `plan`, or rewrites `replacing`'s (atomically, either
        way); the caller holds the folder's lock."""
        if replacing is None:
            return self._create(safe_stem(plan.name), text)
        if replacing.source != "user":
            raise WalkcoachError(
                f'"{replacing.name}" is a built-in plan and cannot be changed; '
                "save it under a new name instead"
            )
        path = replacing.path
        self._refuse_unparsable(path)
        atomic_write_text(path, text)
        return path

    def _refuse_unparsable(self, path: Path) -> None:
        if not path.exists():
            return
        try:
            plan_module.load(path)
        except PlanError as exc:
            first = exc.problems[0] if exc.problems else "it does not parse"
            raise WalkcoachError(
                f"{path} was left untouched: it does not load as a plan ({first}); "
                "fix or remove it first"
            ) from None

    def _create(self, stem: str, text: str) -> Path:
        """A new file holding `text`, named after `stem` (numbered if that is taken).

        Never replaces a file, not even one another program creates between the look
        for a free name and the write: that name is then passed over.
        """
        for _ in range(MAX_CREATE_TRIES):
            path = self._free_path(stem)
            try:
                atomic_create_text(path, text)
            except FileExistsError:
                continue
            return path
        raise WalkcoachError(
            f"{self.dirs.plans_dir} keeps getting new files named like {stem}{PLAN_SUFFIX}; "
            "the plan was not saved"
        )

    def _free_path(self, stem: str) -> Path:
        folder = self.dirs.plans_dir
        candidate = folder / f"{stem}{PLAN_SUFFIX}"
        number = 2
        while os.path.lexists(candidate):  # a dangling link takes its name too
            candidate = folder / f"{stem}-{number}{PLAN_SUFFIX}"
            number += 1
        return candidate

    def import_file(self, path: Path, replace: bool = False) -> PlanEntry:
        """Copies a plan file (any format `walkcoach.formats.files` reads but a Zwift
        workout, which needs a speed: `import_plan`) into the user's plans, after
        checking it.

        `PlanError` listing every problem when it is not a valid plan; `WalkcoachError`
        when a user plan already has its name, unless `replace` is true, and when a
        built-in plan has it (as for a save or a rename: `taken_message`).
        """
        from walkcoach.formats.files import read_plan_file

        # Read once: what was checked is what is copied, comments and all.
        return self.import_plan(read_plan_file(Path(path).expanduser()), replace)

    def import_plan(self, incoming: Incoming, replace: bool = False) -> PlanEntry:
        """Adds a plan read from a file (`walkcoach.formats.files.read_plan_file`) to the
        user's plans as its TOML text; refused as `import_file` says."""
        text, loaded = incoming.text, incoming.plan
        # Locked, so that of two imports of one name at once the second sees the first.
        with folder_lock(self.dirs.plans_dir):
            existing = next(
                (
                    e
                    for e in self.user_entries()
                    if e.plan is not None and e.name.casefold() == loaded.name.casefold()
                ),
                None,
            )
            if existing is not None and not replace:
                raise WalkcoachError(
                    f'you already have a plan named "{existing.name}" ({existing.path}); '
                    "import with --replace to replace it, or rename the plan in the file"
                )
            if existing is None:
                # Only a built-in can have the name now; it cannot be replaced.
                taken = self.name_taken(loaded.name)
                if taken is not None:
                    raise WalkcoachError(taken_message(taken, importing=True))
            written = self._write(text, loaded, existing)
        return PlanEntry(loaded.name, "user", written, loaded)

    def export(self, name: str | PlanEntry, dest: Path | None = None) -> str:
        """The plan's TOML text; also written (atomically) to `dest` when given, in the
        format its extension names (`walkcoach.formats.files.plan_content`: a FIT
        workout, workout text, or this TOML)."""
        entry = name if isinstance(name, PlanEntry) else self.find(name)
        plan = entry.require()
        text = plan_module.dumps(plan)
        if dest is not None:
            from walkcoach.formats.files import plan_content, write_file

            dest = Path(dest).expanduser()
            write_file(dest, plan_content(plan, dest))
        return text

    def delete(self, entry: PlanEntry) -> None:
        """Removes a user plan's file; built-in plans cannot be deleted."""
        if entry.source != "user":
            raise WalkcoachError(
                f'"{entry.name}" is a {entry.source} plan, not one of yours; '
                "only your own plans can be deleted"
            )
        entry.path.unlink(missing_ok=True)

    def copy(self, entry: PlanEntry, new_name: str) -> PlanEntry:
        """Saves a copy of `entry`'s plan under `new_name` as a new user plan."""
        copied = entry.require()._replace(name=new_name.strip())
        path = self.save(copied)
        return PlanEntry(copied.name, "user", path, copied)


def taken_message(entry: PlanEntry, importing: bool = False) -> str:
    """Why a name cannot be given to a plan: `entry` already has it. `importing`: the
    name comes from a file, which is where it can be changed."""
    other = "rename the plan in the file" if importing else "choose another name"
    if entry.source == "user":
        return f'you already have a plan named "{entry.name}"; {other} (or delete that plan first)'
    return f'"{entry.name}" is the name of a built-in plan; {other}'


def _plan_files(folder: Path) -> list[Path]:
    """The plan files in `folder`, by name; none when it does not exist."""
    try:
        candidates = list(folder.glob(f"*{PLAN_SUFFIX}"))
    except OSError:
        return []
    return sorted(p for p in candidates if not p.name.startswith(".") and p.is_file())
