class AlumniError(Exception):
    """A rule of the alumni network was broken; the message is for the person acting."""
