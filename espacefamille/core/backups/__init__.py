"""Backups of a whole portal: the database and every uploaded file in one archive, with a
manifest that a restore checks (``manage.py backup`` / ``manage.py restore``).

Hand-written on top of the database's own tools rather than django-dbbackup: the latter writes
the PostgreSQL password into ``pg_dump``'s command line (visible to every user of the machine
in ``ps``), keeps the database and the media in separate archives, knows nothing of
``PRIVATE_MEDIA_ROOT`` and checks nothing after a restore."""
