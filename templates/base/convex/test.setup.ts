/// <reference types="vite/client" />
// The Convex modules that convex-test loads in the tests (this file is not deployed:
// Convex skips file names with more than one dot, which also covers *.test.ts).
export const modules = import.meta.glob(["./**/*.ts", "./**/*.js", "!./**/*.*.ts"]);
