/** The Azure Functions entry point of the job bundle (dist/jobs/azure/): registers the timer. */
import { app } from "@azure/functions";
import { TIMER, timerHandler } from "./handler";

app.timer(TIMER.name, { schedule: TIMER.schedule, runOnStartup: TIMER.runOnStartup, handler: timerHandler });

// Exported as well, so that the built bundle can be called directly (its test does).
export { TIMER, timerHandler };
