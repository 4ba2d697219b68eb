"""A walk as a FIT activity file, the form Garmin Connect and Strava take by upload.

Sport walking, sub-sport indoor walking, no positions. Each lap is one walked segment
(elapsed time, distance, average speed, incline as average grade, calories) and carries
two developer fields: ``direction`` ("forward" or "backward") and ``segment`` (its name,
such as "Backward: Recovery"). Records mark each lap's start and end with the distance
so far, so readers that draw a chart have points to draw. Layout after the FIT SDK's
"Encoding Activity Files" recipe: file_id, developer data, timer start, records and
laps, timer stop, session, activity.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any, Final

from walkcoach.formats.fit_common import FIT_EPOCH, build, file_id, fit_text, unix_ms
from walkcoach.formats.walk import Walk

APPLICATION_ID: Final = bytes.fromhex("7761 6c6b 636f 6163 6800 0000 0000 0001")
"""The 16-byte id of walkcoach's developer data ("walkcoach" and a version)."""
DIRECTION_FIELD: Final = 0
SEGMENT_FIELD: Final = 1


def encode_walk(walk: Walk, tz: tzinfo) -> bytes:
    """The walk as a FIT activity; `tz` is the walker's zone, for the local start time."""
    from fit_tool.base_type import BaseType  # type: ignore[import-untyped]
    from fit_tool.developer_field import DeveloperField  # type: ignore[import-untyped]
    from fit_tool.profile.messages.activity_message import (  # type: ignore[import-untyped]
        ActivityMessage,
    )
    from fit_tool.profile.messages.developer_data_id_message import (  # type: ignore[import-untyped]
        DeveloperDataIdMessage,
    )
    from fit_tool.profile.messages.event_message import (  # type: ignore[import-untyped]
        EventMessage,
    )
    from fit_tool.profile.messages.field_description_message import (  # type: ignore[import-untyped]
        FieldDescriptionMessage,
    )
    from fit_tool.profile.messages.lap_message import LapMessage  # type: ignore[import-untyped]
    from fit_tool.profile.messages.record_message import (  # type: ignore[import-untyped]
        RecordMessage,
    )
    from fit_tool.profile.messages.session_message import (  # type: ignore[import-untyped]
        SessionMessage,
    )
    from fit_tool.profile.profile_type import (  # type: ignore[import-untyped]
        Activity,
        Event,
        EventType,
        FileType,
        LapTrigger,
        SessionTrigger,
        Sport,
        SubSport,
    )

    start = walk.started_at
    end = start + timedelta(seconds=walk.elapsed_s)
    messages: list[Any] = [file_id(FileType.ACTIVITY, start)]

    developer = DeveloperDataIdMessage()
    developer.developer_data_index = 0
    developer.application_id = APPLICATION_ID
    messages.append(developer)
    for number, name in ((DIRECTION_FIELD, "direction"), (SEGMENT_FIELD, "segment")):
        description = FieldDescriptionMessage()
        description.developer_data_index = 0
        description.field_definition_number = number
        description.fit_base_type_id = BaseType.STRING.value
        description.field_name = name
        messages.append(description)

    def event(kind: Any, moment: datetime) -> Any:
        message = EventMessage()
        message.event = Event.TIMER
        message.event_type = kind
        message.timestamp = unix_ms(moment)
        return message

    def record(moment: datetime, distance_m: float, speed_ms: float) -> Any:
        message = RecordMessage()
        message.timestamp = unix_ms(moment)
        message.distance = distance_m
        message.enhanced_speed = speed_ms
        return message

    def text_field(number: int, name: str, value: str) -> Any:
        text = fit_text(value)
        field = DeveloperField(
            developer_data_index=0,
            field_id=number,
            size=len(text.encode()) + 1,  # and its closing zero byte
            base_type=BaseType.STRING,
            name=name,
        )
        field.set_value(0, text)
        return field

    messages.append(event(EventType.START, start))
    distance_m = 0.0
    for index, (lap, lap_start) in enumerate(zip(walk.laps, walk.lap_starts(), strict=True)):
        lap_end = lap_start + timedelta(seconds=lap.seconds)
        speed_ms = lap.speed_kmh / 3.6
        messages.append(record(lap_start, distance_m, speed_ms))
        distance_m += lap.distance_km * 1000
        messages.append(record(lap_end, distance_m, speed_ms))
        message = LapMessage(
            developer_fields=[
                text_field(DIRECTION_FIELD, "direction", lap.direction),
                text_field(SEGMENT_FIELD, "segment", lap.name),
            ]
        )
        message.message_index = index
        message.timestamp = unix_ms(lap_end)
        message.start_time = unix_ms(lap_start)
        message.event = Event.LAP
        message.event_type = EventType.STOP
        message.lap_trigger = LapTrigger.MANUAL
        message.sport = Sport.WALKING
        message.sub_sport = SubSport.INDOOR_WALKING
        message.total_elapsed_time = lap.seconds
        message.total_timer_time = lap.seconds
        message.total_distance = lap.distance_km * 1000
        message.enhanced_avg_speed = speed_ms
        message.avg_grade = lap.incline_pct
        message.total_calories = round(lap.kcal)
        messages.append(message)
    messages.append(event(EventType.STOP_ALL, end))

    session = SessionMessage()
    session.message_index = 0
    session.timestamp = unix_ms(end)
    session.start_time = unix_ms(start)
    session.event = Event.SESSION
    session.event_type = EventType.STOP
    session.trigger = SessionTrigger.ACTIVITY_END
    session.sport = Sport.WALKING
    session.sub_sport = SubSport.INDOOR_WALKING
    session.total_elapsed_time = walk.elapsed_s
    session.total_timer_time = walk.active_s
    session.total_distance = walk.distance_km * 1000
    session.enhanced_avg_speed = walk.distance_km * 1000 / walk.active_s if walk.active_s else 0.0
    session.total_calories = round(walk.kcal)
    session.first_lap_index = 0
    session.num_laps = len(walk.laps)
    messages.append(session)

    activity = ActivityMessage()
    activity.timestamp = unix_ms(end)
    activity.total_timer_time = walk.active_s
    activity.num_sessions = 1
    activity.type = Activity.MANUAL
    activity.event = Event.ACTIVITY
    activity.event_type = EventType.STOP
    offset = end.astimezone(tz).utcoffset() or timedelta(0)
    activity.local_timestamp = round((end + offset - FIT_EPOCH).total_seconds())
    messages.append(activity)
    return build(messages)
