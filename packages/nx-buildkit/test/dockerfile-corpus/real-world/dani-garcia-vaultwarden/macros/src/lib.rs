// placeholder for macros/src/lib.rs in the repository
