from suivi_common.db import run_migrations_online

run_migrations_online()
