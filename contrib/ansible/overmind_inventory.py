#!/usr/bin/env python3
"""Ansible dynamic inventory for Overmind: every live node, grouped by provider, tag, server role and state.

    ansible-inventory -i overmind_inventory.py --list
    ansible all -i overmind_inventory.py -m ping --limit tag_web

Where to ask and as whom: OVERMIND_URL and OVERMIND_TOKEN (an API token, `overmind tokens create`),
else what `overmind login` stored in $XDG_CONFIG_HOME/overmind/config.json (~/.config/...).
Only the standard library: it runs wherever Ansible's Python does.
"""
import json
import os
import sys
import urllib.error
import urllib.request


def settings():
    url, token = os.environ.get("OVERMIND_URL"), os.environ.get("OVERMIND_TOKEN")
    if not (url and token):
        base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        try:
            with open(os.path.join(base, "overmind", "config.json"), encoding="utf-8") as f:
                stored = json.load(f)
        except FileNotFoundError:
            stored = {}
        url, token = url or stored.get("url"), token or stored.get("token")
    if not (url and token):
        sys.exit("overmind inventory: set OVERMIND_URL and OVERMIND_TOKEN, or run `overmind login URL`")
    return url.rstrip("/"), token


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--host":
        # Every host's variables are in --list's _meta.hostvars, so Ansible never asks for one.
        print("{}")
        return
    if sys.argv[1:] != ["--list"]:
        sys.exit("usage: overmind_inventory.py --list | --host NAME")
    url, token = settings()
    request = urllib.request.Request(
        url + "/api/v1/inventory/ansible",
        headers={"Authorization": "Bearer " + token, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            sys.stdout.write(response.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        try:
            problem = json.loads(err.read().decode("utf-8"))
            detail = "%s (request id %s)" % (problem.get("detail"), problem.get("requestId"))
        except ValueError:
            detail = str(err)
        sys.exit("overmind inventory: %s: %s" % (err.code, detail))
    except urllib.error.URLError as err:
        sys.exit("overmind inventory: cannot reach %s: %s" % (url, err.reason))


if __name__ == "__main__":
    main()
