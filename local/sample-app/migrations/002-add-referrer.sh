# Schema 2: visits get a referrer column (a header line in this sample's "database").
set -eu
printf 'time referrer\n' >"$1/visits.columns"
echo "002: added visits.referrer"
