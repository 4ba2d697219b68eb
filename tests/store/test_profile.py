"""The profile file and the per-field checks the settings screen uses."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach.calories import Body
from walkcoach.store.profile import (
    AGE_LIMITS,
    DEFAULT_WEIGHT_KG,
    HEIGHT_LIMITS_CM,
    Profile,
    ProfileError,
    load_profile,
    load_profile_noting_unknown,
    save_profile,
    validate_field,
    with_field,
)

profiles = st.builds(
    Profile,
    weight_kg=st.none() | st.floats(min_value=20, max_value=300),
    weight_unit=st.sampled_from(["kg", "lb"]),
    speed_unit=st.sampled_from(["kmh", "mph"]),
    treadmill_factor=st.floats(min_value=0.8, max_value=1.2),
    sound=st.booleans(),
    lead_in_s=st.integers(min_value=0, max_value=30),
    safety_check=st.booleans(),
    age=st.none() | st.integers(*AGE_LIMITS),
    sex=st.sampled_from([None, "female", "male"]),
    height_cm=st.none() | st.floats(*HEIGHT_LIMITS_CM),
    handrail_hold=st.sampled_from(["free", "resting", "gripping"]),
)


def test_a_missing_file_gives_the_defaults_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config" / "profile.toml"
    assert load_profile(path) == Profile()
    assert not (tmp_path / "config").exists()


def test_defaults_use_70_kg_until_a_weight_is_set() -> None:
    assert Profile().weight_kg is None
    assert Profile().effective_weight_kg == DEFAULT_WEIGHT_KG == 70.0
    assert Profile(weight_kg=82.5).effective_weight_kg == 82.5
    assert Profile().lead_in_s == 10  # room for the spoken lead-in before the countdown


@given(profile=profiles)
def test_a_saved_profile_loads_back_equal(
    tmp_path_factory: pytest.TempPathFactory, profile: Profile
) -> None:
    path = tmp_path_factory.mktemp("p") / "profile.toml"
    save_profile(path, profile)
    assert load_profile(path) == profile


def test_the_file_is_plain_toml_without_an_unset_weight(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    save_profile(path, Profile(speed_unit="mph", lead_in_s=10))
    text = path.read_text(encoding="utf-8")
    assert "weight_kg" not in text
    assert 'speed_unit = "mph"' in text
    assert "lead_in_s = 10" in text


def test_a_profile_from_before_the_treadmill_factor_reads_as_a_treadmill_that_reads_right(
    tmp_path: Path,
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text('weight_kg = 82.0\nspeed_unit = "mph"\nlead_in_s = 8\n', encoding="utf-8")
    profile, unknown = load_profile_noting_unknown(path)
    assert profile == Profile(weight_kg=82.0, speed_unit="mph", lead_in_s=8)
    assert profile.treadmill_factor == 1.0 and unknown == ()
    save_profile(path, profile._replace(treadmill_factor=0.95))
    assert "treadmill_factor = 0.95" in path.read_text(encoding="utf-8")
    assert load_profile(path).treadmill_factor == 0.95


def test_a_treadmill_factor_out_of_range_is_named_with_the_range(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text("treadmill_factor = 1.5\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == (
        f"{path}: treadmill_factor: expected a treadmill factor from 0.8 to 1.2, not 1.5"
    )
    path.write_text('treadmill_factor = "high"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert "from 0.8 to 1.2 (1 when the treadmill reads right)" in str(caught.value)


def test_a_profile_from_before_personal_calories_reads_as_unset_with_free_arms(
    tmp_path: Path,
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text("weight_kg = 82.0\n", encoding="utf-8")
    profile, unknown = load_profile_noting_unknown(path)
    assert (profile.age, profile.sex, profile.height_cm) == (None, None, None)
    assert profile.handrail_hold == "free" and unknown == ()
    assert profile.body == Body(weight_kg=82.0)


def test_personal_fields_are_written_when_set_and_left_out_when_not(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    walker = Profile(weight_kg=64.0, age=58, sex="female", height_cm=163.5)
    save_profile(path, walker._replace(handrail_hold="resting"))
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert (written["age"], written["sex"], written["height_cm"]) == (58, "female", 163.5)
    assert written["handrail_hold"] == "resting"
    assert load_profile(path).body == Body(64.0, 58, "female", 163.5)
    save_profile(path, walker._replace(age=None, sex=None, height_cm=None))
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert not {"age", "sex", "height_cm"} & written.keys()


def test_bad_personal_values_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(
        'age = 12\nsex = "x"\nheight_cm = 300\nhandrail_hold = "tight"\n', encoding="utf-8"
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    for fragment in (
        "age: expected an age from 18 to 100 years, not 12",
        'sex: expected "female" or "male"',
        "height_cm: expected a height from 120 to 230 cm, not 300",
        'handrail_hold: expected "free", "resting" or "gripping"',
    ):
        assert fragment in message
    path.write_text('age = 40.5\nheight_cm = "tall"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert "age: expected a whole number of years from 18 to 100" in str(caught.value)
    assert "height_cm: expected a height in centimetres" in str(caught.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text("weight_kg = = 70\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    assert "not valid TOML" in str(caught.value)
    assert caught.value.path == path


def test_bad_values_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(
        'weight_kg = 500\nlead_in_s = -1\nspeed_unit = "knots"\nsound = "loud"\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for fragment in (
        "weight_kg: expected a weight from 20 to 300 kg, not 500",
        "lead_in_s: expected a lead-in from 0 to 30 seconds, not -1",
        'speed_unit: expected "kmh" or "mph"',
        "sound: expected true or false",
    ):
        assert fragment in message


def test_settings_from_a_newer_walkcoach_are_kept_and_written_back(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(
        'weight_kg = 82.0\nspeed_unit = "mph"\nhandrails = "gripping"\n[display]\ntheme = "x"\n',
        encoding="utf-8",
    )
    profile, unknown = load_profile_noting_unknown(path)
    assert profile == Profile(weight_kg=82.0, speed_unit="mph")
    assert unknown == ("handrails", "display")
    save_profile(path, profile._replace(lead_in_s=12))
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert written["handrails"] == "gripping" and written["display"] == {"theme": "x"}
    assert written["lead_in_s"] == 12 and written["weight_kg"] == 82.0


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(path)


@pytest.mark.parametrize(
    "content",
    [b"weight_kg = = 70\n", b"\x00\x01\x02 binary", b'lead_in_s = "soon"\n'],
)
def test_saving_over_an_unreadable_profile_is_refused_and_leaves_it_untouched(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "profile.toml"
    path.write_bytes(content)
    with pytest.raises(ProfileError) as caught:
        save_profile(path, Profile(weight_kg=80.0))
    assert "left untouched" in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.toml"]


def test_saving_an_out_of_range_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    with pytest.raises(ProfileError, match="lead_in_s"):
        save_profile(path, Profile(lead_in_s=99))
    assert not path.exists()


@pytest.mark.parametrize(
    ("name", "raw", "unit", "expected"),
    [
        ("weight_kg", "72.5", "kg", 72.5),
        ("weight_kg", " 72,5 ", "kg", 72.5),
        ("weight_kg", "", "kg", None),
        ("weight_kg", "200", "lb", 90.718474),
        # A unit typed after the number wins over the profile's.
        ("weight_kg", "160 lb", "kg", 72.57477920),
        ("weight_kg", "72 kg", "lb", 72.0),
        ("weight_kg", "72.5KG", "lb", 72.5),
        ("weight_kg", "160 lbs", "lb", 72.57477920),
        ("lead_in_s", "10", "kg", 10),
        ("lead_in_s", "0", "kg", 0),
        ("sound", "off", "kg", False),
        ("safety_check", "Yes", "kg", True),
        ("speed_unit", "km/h", "kg", "kmh"),
        ("speed_unit", "MPH", "kg", "mph"),
        ("weight_unit", "lbs", "kg", "lb"),
        ("treadmill_factor", "0.95", "kg", 0.95),
        ("treadmill_factor", " 1,05 ", "kg", 1.05),
        ("treadmill_factor", "1", "kg", 1.0),
        ("treadmill_factor", "0.8", "kg", 0.8),
        ("age", "58", "kg", 58),
        ("age", " 18 ", "kg", 18),
        ("age", "", "kg", None),
        ("sex", "F", "kg", "female"),
        ("sex", "male", "kg", "male"),
        ("sex", "", "kg", None),
        ("height_cm", "172", "kg", 172.0),
        ("height_cm", "172,5 cm", "kg", 172.5),
        ("height_cm", "", "kg", None),
        ("handrail_hold", "Grip", "kg", "gripping"),
        ("handrail_hold", "resting", "kg", "resting"),
        ("handrail_hold", "free", "kg", "free"),
    ],
)
def test_validate_field_accepts_what_a_person_would_type(
    name: str, raw: str, unit: str, expected: object
) -> None:
    value, error = validate_field(name, raw, Profile(weight_unit=unit))  # type: ignore[arg-type]
    assert error is None
    assert value == pytest.approx(expected) if isinstance(expected, float) else value == expected


@pytest.mark.parametrize(
    ("name", "raw", "unit", "message"),
    [
        ("weight_kg", "heavy", "kg", "expected a number of kg, such as 70"),
        ("weight_kg", "19.9", "kg", "expected a weight from 20 to 300 kg"),
        ("weight_kg", "301", "kg", "expected a weight from 20 to 300 kg"),
        ("weight_kg", "700", "lb", "expected a weight from 45 to 661 lb"),
        ("weight_kg", "nan", "kg", "expected a number of kg"),
        ("weight_kg", "1e2", "kg", "expected a number of kg"),
        ("weight_kg", "٧٢", "kg", "expected a number of kg"),  # digits that are not ASCII
        ("weight_kg", "72 stone", "kg", "expected a number of kg"),
        ("weight_kg", "700 lb", "kg", "expected a weight from 45 to 661 lb"),
        ("lead_in_s", "31", "kg", "expected a lead-in from 0 to 30 seconds, not 31"),
        ("lead_in_s", "2.5", "kg", "expected a whole number of seconds from 0 to 30"),
        ("sound", "maybe", "kg", "expected on or off"),
        ("speed_unit", "knots", "kg", 'expected "km/h" or "mph"'),
        ("treadmill_factor", "1.5", "kg", "expected a treadmill factor from 0.8 to 1.2, not 1.5"),
        ("treadmill_factor", "0.79", "kg", "from 0.8 to 1.2, not 0.79"),
        ("treadmill_factor", "fast", "kg", "expected a number from 0.8 to 1.2, such as 0.95"),
        ("treadmill_factor", "", "kg", "expected a number from 0.8 to 1.2"),
        ("treadmill_factor", "nan", "kg", "expected a number from 0.8 to 1.2"),
        ("age", "17", "kg", "expected an age from 18 to 100 years, not 17"),
        ("age", "40.5", "kg", "expected a whole number of years from 18 to 100"),
        ("age", "٤٠", "kg", "expected a whole number of years"),  # digits that are not ASCII
        ("sex", "other", "kg", 'expected "female" or "male" (or leave it empty)'),
        ("height_cm", "5'9", "kg", "expected a height in centimetres, such as 172"),
        ("height_cm", "99", "kg", "expected a height from 120 to 230 cm, not 99"),
        ("handrail_hold", "both", "kg", 'expected "free", "resting" or "gripping"'),
        ("handrail_hold", "", "kg", 'expected "free", "resting" or "gripping"'),
        ("favourite", "x", "kg", "unknown setting"),
    ],
)
def test_validate_field_explains_what_it_refuses(
    name: str, raw: str, unit: str, message: str
) -> None:
    value, error = validate_field(name, raw, Profile(weight_unit=unit))  # type: ignore[arg-type]
    assert value is None
    assert error is not None and message in error


@given(raw=st.text(max_size=20))
def test_validate_field_weight_never_raises_and_keeps_to_the_limits(raw: str) -> None:
    value, error = validate_field("weight_kg", raw, Profile())
    if error is None and value is not None:
        assert isinstance(value, float) and 20 <= value <= 300
    else:
        assert value is None


@given(raw=st.text(max_size=12))
def test_validate_field_treadmill_factor_never_raises_and_keeps_to_the_limits(raw: str) -> None:
    value, error = validate_field("treadmill_factor", raw, Profile())
    if error is None:
        assert isinstance(value, float) and 0.8 <= value <= 1.2
    else:
        assert value is None


def test_with_field_changes_one_field() -> None:
    value, _ = validate_field("lead_in_s", "12", Profile())
    assert with_field(Profile(), "lead_in_s", value) == Profile()._replace(lead_in_s=12)
    value, _ = validate_field("handrail_hold", "grip", Profile())
    assert with_field(Profile(), "handrail_hold", value).handrail_hold == "gripping"


@given(raw=st.text(max_size=12))
def test_validate_field_age_and_height_never_raise_and_keep_to_the_limits(raw: str) -> None:
    age, age_error = validate_field("age", raw, Profile())
    if age_error or age is None:
        assert age is None
    else:
        assert isinstance(age, int) and 18 <= age <= 100
    height, height_error = validate_field("height_cm", raw, Profile())
    if height_error or height is None:
        assert height is None
    else:
        assert isinstance(height, float) and 120 <= height <= 230


def test_the_weight_limits_told_in_lb_are_accepted_at_both_ends() -> None:
    profile = Profile(weight_unit="lb")
    _, message = validate_field("weight_kg", "10", profile)
    assert message == "expected a weight from 45 to 661 lb"
    for typed in ("45", "661", "45 lb", "661 lb"):
        kg, problem = validate_field("weight_kg", typed, profile)
        assert problem is None and kg is not None
    assert validate_field("weight_kg", "44", profile)[1] == message
    assert validate_field("weight_kg", "662", profile)[1] == message
