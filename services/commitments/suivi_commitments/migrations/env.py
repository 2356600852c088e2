from suivi_kit.db import run_migrations_online

run_migrations_online()
