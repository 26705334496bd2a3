#!/usr/bin/env bash
# Debian packages the app (runtime) or the test suite (test) needs.
# As root with apt: installs the missing ones. Otherwise: prints what to install.
set -euo pipefail
set_name=${1:-test}

runtime=(libegl1 libgl1 libfontconfig1 fonts-dejavu-core libglib2.0-0 libdbus-1-3 libx11-xcb1
         libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
         libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1)
# A virtual screen with a tray host, a real Secret Service, Japanese fonts for screenshots.
testing=(xvfb xdotool trayer x11-utils imagemagick dbus dbus-x11 gnome-keyring libsecret-tools
         fonts-noto-cjk procps desktop-file-utils
         # A real StatusNotifierItem panel: status-notifier-watcher and a GTK bar drawing dbusmenu menus.
         haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils dbus-daemon
         # The real desktop portal frontend (GlobalShortcuts), behind which the tests put a backend.
         xdg-desktop-portal
         # Mocked logind, screen saver and Mutter idle monitor (the idle tests), and libXss (X11 idle time).
         python3-dbusmock libxss1)

case "$set_name" in
    runtime) wanted=("${runtime[@]}") ;;
    test) wanted=("${runtime[@]}" "${testing[@]}") ;;
    *) echo "usage: $0 runtime|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null; then
    echo "Not a Debian-like system: install the equivalents of: ${wanted[*]}" >&2
    exit 0
fi
absent=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || absent+=("$pkg")
done
[ ${#absent[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${absent[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${absent[@]}" >/dev/null
else
    echo "Missing Debian packages (tests that need them will skip, loudly):" >&2
    echo "    sudo apt-get install ${absent[*]}" >&2
fi
