namespace RadRegen.Dosimetry;
