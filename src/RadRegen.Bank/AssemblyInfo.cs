namespace RadRegen.Bank;
