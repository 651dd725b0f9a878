// Runs once when the Next.js server starts: background jobs live in the app process.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startJobRunner } = await import("./lib/jobs/runner");
    await startJobRunner();
  }
}
