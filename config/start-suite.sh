#!/usr/bin/env bash
# Start Odoo in the official image with every addon of /mnt/extra-addons installed (demo data included).
set -euo pipefail
modules=$(cd /mnt/extra-addons && for m in */__manifest__.py; do printf '%s,' "${m%%/*}"; done)
exec /entrypoint.sh odoo -c /etc/odoo/odoo.conf -d channel_suite -i "${modules%,}" --load-language=zh_CN "$@"
