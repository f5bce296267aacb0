# fish completion for connecthub-cli. Installed as fish/vendor_completions.d/connecthub-cli.fish.

set -l commands register login profile invite list-invited users stats revoke purge-codes backup
set -l no_command "not __fish_seen_subcommand_from $commands"

complete -c connecthub-cli -f
complete -c connecthub-cli -l db -r -F -d 'SQLite database file or postgresql:// URI'
complete -c connecthub-cli -l config -r -F -d 'The service config file (db, secret-key, token-ttl)'
complete -c connecthub-cli -l json -d 'Print one JSON document in the API shape'
complete -c connecthub-cli -s h -l help -d 'Print help and exit'
complete -c connecthub-cli -n $no_command -l version -d 'Print the version and exit'

complete -c connecthub-cli -n $no_command -a register -d 'Create the user (no SMS code), issue a token'
complete -c connecthub-cli -n $no_command -a login -d 'Issue an access token for an existing user'
complete -c connecthub-cli -n $no_command -a profile -d 'Show a user profile'
complete -c connecthub-cli -n $no_command -a invite -d 'Activate another user invitation code'
complete -c connecthub-cli -n $no_command -a list-invited -d 'List who activated the user code'
complete -c connecthub-cli -n $no_command -a users -d 'List users, newest first, paged'
complete -c connecthub-cli -n $no_command -a stats -d 'Count users, activations, pending codes'
complete -c connecthub-cli -n $no_command -a revoke -d 'Invalidate every token issued so far'
complete -c connecthub-cli -n $no_command -a purge-codes -d 'Delete expired, used and burned codes'
complete -c connecthub-cli -n $no_command -a backup -d 'Copy the live database to FILE'

complete -c connecthub-cli -n '__fish_seen_subcommand_from register login' -l token-ttl -x \
    -a '15m 30m 1h 12h 24h' -d 'Access token lifetime (ms, s, m, h)'
complete -c connecthub-cli -n '__fish_seen_subcommand_from users' -l limit -x -d 'How many users to list'
complete -c connecthub-cli -n '__fish_seen_subcommand_from users' -l offset -x \
    -d 'How many of the newest users to skip'
complete -c connecthub-cli -n '__fish_seen_subcommand_from backup' -F
