# Schema 1: the visits table (a file, in this sample's "database": the data directory $1).
set -eu
: >"$1/visits"
echo "001: created visits"
