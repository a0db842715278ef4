namespace RadRegen.Hla;
