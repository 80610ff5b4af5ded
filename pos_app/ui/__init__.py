"""The PySide6 checkout GUI. Every Qt import goes through :mod:`pos_app.ui.qt`.

Entry points: :func:`pos_app.ui.main.run_gui` (services injected as
:class:`pos_app.ui.bundle.UiServices`) and :func:`pos_app.ui.launch.launch` (what
``pos_app.app.gui_main`` calls). See docs/gui.md.
"""
