# bash completion for connecthub-cli                        -*- shell-script -*-
# Installed as bash-completion/completions/connecthub-cli; load by hand with `source FILE`.

_connecthub_cli() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local commands="register login profile invite list-invited users stats revoke purge-codes backup"

  case $prev in
    --db | --config)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return
      ;;
    --token-ttl)
      mapfile -t COMPREPLY < <(compgen -W "15m 30m 1h 12h 24h" -- "$cur")
      return
      ;;
    --limit | --offset)
      return
      ;;
  esac

  # The command is the first word that is neither an option nor the value of --db or --config.
  local command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --db | --config) ((i++)) ;;
      -*) ;;
      *)
        command=${COMP_WORDS[i]}
        break
        ;;
    esac
  done

  local options="--db --config --json -h --help"
  case $command in
    "")
      if [[ $cur != -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        return
      fi
      options+=" --version"
      ;;
    register | login) options+=" --token-ttl" ;;
    users) options+=" --limit --offset" ;;
    backup)
      if [[ $cur != -* ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
      fi
      ;;
    profile | invite | list-invited | stats | revoke | purge-codes) ;;
  esac
  mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
}

complete -F _connecthub_cli connecthub-cli
