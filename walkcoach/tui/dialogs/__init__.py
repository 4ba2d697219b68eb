"""Every modal dialog of walkcoach, one small module each, on the shared `base.Dialog`."""
