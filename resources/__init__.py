"""The app's resources: icons, scan sounds, the .desktop file (installed as pos_app.resources)."""
