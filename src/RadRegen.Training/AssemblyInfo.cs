namespace RadRegen.Training;
