"""The Textual shell: screens that render the core's state and forward keys."""
