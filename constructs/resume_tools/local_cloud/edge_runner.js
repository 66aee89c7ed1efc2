// Runs a CloudFront Function's code for the local cloud: one JSON event per stdin line in,
// one JSON result per stdout line out ({"request": …} or {"response": …}, or {"error": …}).
// The code is the deployed function's, evaluated once, as CloudFront runs it per request.
"use strict";
const fs = require("fs");
const readline = require("readline");
const vm = require("vm");

const context = vm.createContext({});
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), context, {filename: "viewer_request.js"});
const lines = readline.createInterface({input: process.stdin});
lines.on("line", (line) => {
    let answer;
    try {
        const result = context.handler(JSON.parse(line));
        answer = "statusCode" in result ? {response: result} : {request: result};
    } catch (error) {
        answer = {error: String(error)};
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
});
