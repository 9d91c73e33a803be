#!/bin/sh
# The README's Salesforce CLI recipe, run by make test
# (internal/testing/clients): the sf CLI logs in with the session that
# `advologix-connect session` prints (its KEY=value form, read without
# eval) and nothing else, then runs a SOQL query and prints its JSON.
#
#   query.sh [SOQL] — the profile is ADVOLOGIX_PROFILE's, else the default.
#
# The access token goes to sf on standard input, never in argv or the
# environment. It lives only as long as the Salesforce session: run the
# recipe again for a new one.
set -eu

soql=${1:-SELECT Id, Name FROM Organization}
alias=advologix

advologix-connect session ${ADVOLOGIX_PROFILE:+--profile "$ADVOLOGIX_PROFILE"} | {
	token="" instance_url="" said=""
	while IFS='=' read -r key value; do
		case $key in
		access_token) token=$value ;;
		instance_url) instance_url=$value ;;
		*) said="$said$key${value:+=$value}
" ;;
		esac
	done
	if [ -z "$token" ] || [ -z "$instance_url" ]; then
		# A failed login: session printed why instead of a session.
		printf 'query.sh: advologix-connect session gave no session:\n%s' "$said" >&2
		exit 1
	fi
	printf '%s\n' "$token" | sf org login access-token --instance-url "$instance_url" --alias "$alias" >&2
}
sf data query --target-org "$alias" --query "$soql" --json
