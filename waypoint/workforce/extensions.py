"""What workforce plugs in: nothing on a person's record (staff records are not people's records).

The "Record caseload supervision" button on one coordinator's caseload page is one line in the
worklist template (`worklist/caseload.jinja`); worklist imports nothing from workforce."""


def register():
    return None
