"""Walks and plans in other tools' formats: FIT and TCX activities, FIT workouts,
intervals.icu workout text and Zwift workouts.

Encoders return bytes or text (callers write files); importers build the plan's
TOML-shaped data and leave every plan rule to `walkcoach.plan.parse_plan`. Problems in
a foreign file are raised as `walkcoach.plan.PlanError`, each `Problem` naming the
place: a line, an element path or a FIT message and field.
"""
