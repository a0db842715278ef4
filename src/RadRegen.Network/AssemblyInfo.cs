namespace RadRegen.Network;
