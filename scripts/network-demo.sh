#!/usr/bin/env bash
# A network of three demo centers on this machine (docs/network.md): starts a local nats-server
# with JetStream and three RadRegen servers with demo data on loopback, each with its own SQLite
# database, joined to the network "demo"; prints their addresses and stops everything on Ctrl+C.
#   bash scripts/network-demo.sh [DIR]     (DIR keeps the databases and the NATS store; default a temp folder)
set -euo pipefail
cd "$(dirname "$0")/.."
nats=$(command -v nats-server || true)
[ -z "$nats" ] && [ -x /usr/sbin/nats-server ] && nats=/usr/sbin/nats-server
if [ -z "$nats" ]; then
    echo "network-demo: nats-server is not installed (apt-get install nats-server)" >&2
    exit 1
fi

dir=${1:-$(mktemp -d /tmp/radregen-network-demo.XXXXXX)}
mkdir -p "$dir"
nats_port=${RADREGEN_DEMO_NATS_PORT:-4222}
base_port=${RADREGEN_DEMO_BASE_PORT:-5081}
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "network-demo: building the command line"
dotnet build src/RadRegen.Cli/RadRegen.Cli.csproj -c Release -v q -nologo >/dev/null
cli=(dotnet "src/RadRegen.Cli/bin/Release/net10.0/radregen.dll")

"$nats" -js -a 127.0.0.1 -p "$nats_port" -sd "$dir/nats" --server_name radregen-demo >"$dir/nats.log" 2>&1 &
pids+=($!)

names=("Kanazawa demo center" "Hiroshima demo center" "Nagasaki demo center")
capabilities=("12 true true true" "8 false true false" "20 true false true")
for i in 0 1 2; do
    code=$(printf 'W%04d' $((i + 1)))
    port=$((base_port + i))
    read -r beds burn lab cpc <<<"${capabilities[$i]}"
    "${cli[@]}" serve --demo --database "$dir/$code.db" --urls "http://127.0.0.1:$port" \
        --network "nats://127.0.0.1:$nats_port" --center "$code" \
        --setting "Center:Name=${names[$i]}" --setting Network:Name=demo \
        --setting "Center:Capabilities:BmtBeds=$beds" --setting "Center:Capabilities:BurnUnit=$burn" \
        --setting "Center:Capabilities:BiodosimetryLab=$lab" --setting "Center:Capabilities:Cpc=$cpc" \
        >"$dir/$code.log" 2>&1 &
    pids+=($!)
done

echo "network-demo: waiting for the three centers (demo data takes a while)"
for i in 0 1 2; do
    port=$((base_port + i))
    for _ in $(seq 1 600); do
        if grep -q "Listening on" "$dir/$(printf 'W%04d' $((i + 1))).log" 2>/dev/null; then break; fi
        sleep 1
    done
done

echo "NATS server:  nats://127.0.0.1:$nats_port (store $dir/nats)"
for i in 0 1 2; do
    code=$(printf 'W%04d' $((i + 1)))
    echo "$code ${names[$i]}: http://127.0.0.1:$((base_port + i))/network   (database $dir/$code.db; demo passwords in $dir/$code.log)"
done
echo "Status from the command line: ${cli[*]} network status --database $dir/W0001.db --setting Network:Url=nats://127.0.0.1:$nats_port --setting Network:Center=W0001 --setting Network:Name=demo"
echo "Press Ctrl+C to stop."
wait
