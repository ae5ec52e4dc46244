// Material's search worker, run unchanged, behind one fix: a query is made safe for lunr's
// query parser before Material sees it. lunr reads "word:" as a field name and a leading "-" or
// "+" as an operator, so pasted error text such as "invalid-publisher: valid token, ..." or
// "--repository-url" made Material answer "No matching documents"; and a backtick, as uv prints
// around commands, glued itself to the word it quotes, which then matched nothing.
// One more guard: lunr's query looks up every word its token set expands a term to, and a
// minimised token set can yield a word that isn't in the index, which made lunr throw and the
// whole query answer nothing. Expanded words are kept only if the index has them.
"use strict";
(function () {
  var here = new URL(self.location.href);
  var worker = new URL(here.searchParams.get("worker"), here);
  if (worker.origin !== here.origin) {
    throw new Error("the search worker must come from this site");
  }

  // Material links each result to its page with `?h=<matched terms>` and marks those terms there.
  // Words that carry no meaning ("in", "the") and two-letter fragments are dropped from a
  // result's terms, so the landing page does not light up every "in" inside a word.
  var RESULT = 3; // Material's message type for search results
  var STOP = new Set("a an and are as at be but by for from has have in is it its no not of on or so that the this to was were will with you your".split(" "));
  function meaningful(term) {
    return term.length > 2 && !STOP.has(term.toLowerCase());
  }
  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && Array.isArray(message.data.items)) {
      message.data.items = byCoverage(message.data.items);
      message.data.items.forEach(function (group) {
        group.forEach(function (doc) {
          if (!doc.terms) return;
          var kept = {};
          Object.keys(doc.terms).forEach(function (term) {
            if (meaningful(term)) kept[term] = doc.terms[term];
          });
          doc.terms = kept;
        });
      });
    }
    post(message);
  };

  // Material's worker (lunr, 12 KB compressed) is loaded on the first message, which Material
  // sends once the search index has arrived: the index itself is held until the reader reaches
  // for search (overrides/main.html), so a reader who never searches downloads neither.
  var addEventListener = self.addEventListener.bind(self);
  function first(event) {
    self.removeEventListener("message", first);
    start();
    self.dispatchEvent(new MessageEvent("message", { data: event.data }));
  }
  addEventListener("message", first);

  function start() {
    // Keep Material's message listener instead of letting it receive messages directly.
    var listeners = [];
    self.addEventListener = function (type, listener) {
      if (type === "message") listeners.push(listener);
      else addEventListener(type, listener);
    };
    importScripts(worker.href);
    self.addEventListener = addEventListener;
    if (!self.lunr) {
      // Not Material's lunr worker (Zensical's search has its own engine): the fixes below are for
      // lunr's query parser, so hand every message to that worker unchanged.
      listeners.forEach(function (listener) {
        addEventListener("message", listener);
      });
      return;
    }
    guardTokenSets(self.lunr);

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
  }

  function guardTokenSets(lunr) {
    var fromArray = lunr.TokenSet.fromArray;
    lunr.TokenSet.fromArray = function (words) {
      var set = fromArray.apply(this, arguments);
      set.indexWords = new Set(words); // the index's own words (lunr builds it from them)
      return set;
    };
    var intersect = lunr.TokenSet.prototype.intersect;
    lunr.TokenSet.prototype.intersect = function (other) {
      var result = intersect.apply(this, arguments);
      var words = this.indexWords;
      if (words) {
        var toArray = result.toArray;
        result.toArray = function () {
          return toArray.apply(result, arguments).filter(function (word) {
            return words.has(word);
          });
        };
      }
      return result;
    };
  }

  // A pasted message's double quotes are part of its text, not a phrase: Material makes every word
  // of a quoted phrase required, so `Tag "v1.3.4" is not allowed` found nothing at all.
  function pasteable(query) {
    return query.replace(/[:^~`"]/g, " ").replace(/(^|\s)[-+]+/g, "$1");
  }

  // Pages whose best part has more of the searched words come first; among equals, Material's
  // order stands. Material orders pages by their best-scoring part whatever words it has, and
  // scores a page's opening part far above its sections, so a pasted
  // message that a gallery page quotes in full in a section (an older wording, a client's
  // variant) lost to opening parts that share a few of its words.
  function byCoverage(groups) {
    function rank(group) {
      var best = { coverage: 0, score: 0 };
      group.forEach(function (doc) {
        var terms = doc.terms ? Object.keys(doc.terms).filter(meaningful) : [];
        if (!terms.length) return;
        var found = terms.filter(function (term) { return doc.terms[term]; }).length;
        var coverage = found / terms.length;
        if (coverage > best.coverage || (coverage === best.coverage && doc.score > best.score)) {
          best = { coverage: coverage, score: doc.score };
        }
      });
      return best;
    }
    return groups
      .map(function (group, index) { return { group: group, index: index, rank: rank(group) }; })
      .sort(function (a, b) {
        return b.rank.coverage - a.rank.coverage || a.index - b.index;
      })
      .map(function (entry) { return entry.group; });
  }
})();
