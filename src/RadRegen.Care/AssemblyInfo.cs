namespace RadRegen.Care;
