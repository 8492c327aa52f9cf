export async function runBench(_name: string, _opts: { duration: number }) {}
