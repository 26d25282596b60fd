/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single Fetch typing for useLoaderData (remix.config.js future.v3_singleFetch).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
