import pytest

from .smtp import SmtpSink


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on a free port; Django's e-mail settings point at it."""
    sink = SmtpSink().start()
    for name, value in sink.settings().items():
        setattr(settings, name, value)
    yield sink
    sink.stop()
