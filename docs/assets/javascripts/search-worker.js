// Material's search worker, run unchanged, behind one fix: a query is made safe for lunr's
// query parser before Material sees it. lunr reads "word:" as a field name and a leading "-" or
// "+" as an operator, so pasted error text such as "invalid-publisher: valid token, ..." or
// "--repository-url" made Material answer "No matching documents"; and a backtick, as uv prints
// around commands, glued itself to the word it quotes, which then matched nothing.
"use strict";
(function () {
  var here = new URL(self.location.href);
  var worker = new URL(here.searchParams.get("worker"), here);
  if (worker.origin !== here.origin) {
    throw new Error("the search worker must come from this site");
  }

  // Keep Material's message listener instead of letting it receive messages directly.
  var listeners = [];
  var addEventListener = self.addEventListener.bind(self);
  self.addEventListener = function (type, listener) {
    if (type === "message") listeners.push(listener);
    else addEventListener(type, listener);
  };
  importScripts(worker.href);
  self.addEventListener = addEventListener;

  var QUERY = 2; // Material's message type for a search query
  addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === QUERY && typeof message.data === "string") {
      message = { type: QUERY, data: pasteable(message.data) };
    }
    listeners.forEach(function (listener) {
      listener({ data: message });
    });
  });

  function pasteable(query) {
    return query.replace(/[:^~`]/g, " ").replace(/(^|\s)[-+]+/g, "$1");
  }
})();
