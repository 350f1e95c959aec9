"""Who owns the assets: one place, so a team change is one edit."""

DATA_PLATFORM = "team:data-platform"
