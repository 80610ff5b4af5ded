"""Icons (SVG) and feedback sounds (WAV) shipped with the GUI; see scripts/make_sounds.py."""
