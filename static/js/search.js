/* Site search: finds pages in the static index that site/search builds.
   The stemmer and word splitting must match site/search exactly (a Go test
   runs them under node). No framework; loaded only on the search page. */
(function () {
  'use strict';
  var STOP = new Set(('a about an and are as at be been but by can could did do does for from had has ' +
    'have he her his how i if in into is it its me more my no not of on or our she should so than that ' +
    'the their them then there these they this to us was we were what when where which who with would ' +
    'you your').split(' '));
  // STOP_CY is the Welsh stop list, as welshStopList in site/search: Welsh
  // words are not stemmed.
  var STOP_CY = new Set(('a ac ag am ar at bod dan dros drwy ei eich ein eu fe fel fy gan gyda hefyd hi hon ' +
    'hwn hwnnw hwy hyn hynny i ich iw ir maen mae mewn na nac nad neu ni nid o oedd oes or os pan pe sef sydd ' +
    'sy syn trwy wedi wrth y yma yn yr ydy ydych ydym ydyn').split(' '));
  var R2 = rules('ational:ate tional:tion enci:ence anci:ance izer:ize abli:able alli:al entli:ent eli:e ' +
    'ousli:ous ization:ize ation:ate ator:ate alism:al iveness:ive fulness:ful ousness:ous aliti:al ' +
    'iviti:ive biliti:ble');
  var R3 = rules('icate:ic ative: alize:al iciti:ic ical:ic ful: ness:');
  var S4 = 'al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize'.split(' ');

  function rules(s) { return s.split(' ').map(function (r) { return r.split(':'); }); }
  function cons(w, i) {
    var c = w[i];
    if ('aeiou'.indexOf(c) >= 0) return false;
    return c !== 'y' || i === 0 || !cons(w, i - 1);
  }
  function measure(w) {
    var n = w.length, i = 0, m = 0;
    while (i < n && cons(w, i)) i++;
    for (;;) {
      while (i < n && !cons(w, i)) i++;
      if (i >= n) return m;
      while (i < n && cons(w, i)) i++;
      m++;
    }
  }
  function vowel(w) { for (var i = 0; i < w.length; i++) if (!cons(w, i)) return true; return false; }
  function dbl(w) { var n = w.length; return n > 1 && w[n - 1] === w[n - 2] && cons(w, n - 1); }
  function cvc(w) {
    var n = w.length;
    return n > 2 && cons(w, n - 3) && !cons(w, n - 2) && cons(w, n - 1) && 'wxy'.indexOf(w[n - 1]) < 0;
  }
  function replace(w, rs) {
    for (var i = 0; i < rs.length; i++) {
      if (w.endsWith(rs[i][0])) {
        var s = w.slice(0, -rs[i][0].length);
        return measure(s) > 0 ? s + rs[i][1] : w;
      }
    }
    return w;
  }
  // stem is the original Porter (1980) stemmer, as Stem in site/search.
  function stem(w) {
    if (w.length < 3) return w;
    var s, k;
    if (w.endsWith('sses') || w.endsWith('ies')) w = w.slice(0, -2);
    else if (!w.endsWith('ss') && w.endsWith('s')) w = w.slice(0, -1);
    if (w.endsWith('eed')) {
      if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
    } else {
      s = w.endsWith('ed') && vowel(w.slice(0, -2)) ? w.slice(0, -2) :
        w.endsWith('ing') && vowel(w.slice(0, -3)) ? w.slice(0, -3) : null;
      if (s !== null) {
        if (/(at|bl|iz)$/.test(s)) s += 'e';
        else if (dbl(s)) { if (!/[lsz]$/.test(s)) s = s.slice(0, -1); }
        else if (measure(s) === 1 && cvc(s)) s += 'e';
        w = s;
      }
    }
    if (w.endsWith('y') && vowel(w.slice(0, -1))) w = w.slice(0, -1) + 'i';
    w = replace(replace(w, R2), R3);
    for (k = 0; k < S4.length; k++) {
      if (!w.endsWith(S4[k])) continue;
      s = w.slice(0, -S4[k].length);
      if (S4[k] === 'ion' && !/[st]$/.test(s)) continue;
      if (measure(s) > 1) w = s;
      break;
    }
    if (w.endsWith('e')) {
      s = w.slice(0, -1);
      k = measure(s);
      if (k > 1 || (k === 1 && !cvc(s))) w = s;
    }
    if (measure(w) > 1 && dbl(w) && w.endsWith('l')) w = w.slice(0, -1);
    return w;
  }
  // words splits text as Words in site/search does, before stemming; lang
  // is the language of the index, "cy" for Welsh.
  function words(t, lang) {
    var stop = lang === 'cy' ? STOP_CY : STOP;
    return t.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f'\u2019]/g, '').split(/[^a-z0-9]+/)
      .filter(function (w) { return w && w.length <= 40 && !stop.has(w) && (w.length > 1 || /\d/.test(w)); });
  }
  function term(w, lang) { return lang !== 'cy' && /^[a-z]+$/.test(w) ? stem(w) : w; }
  function terms(t, lang) { return words(t, lang).map(function (w) { return term(w, lang); }); }

  // lookups lists the terms a query word matches as [term, isPrefix, factor].
  // The word being typed also matches by prefix, and a stem it runs past.
  function lookups(w, typing, lang) {
    var t = term(w, lang), l = [[t, false, 1]];
    if (typing && w.length > 2) {
      l.push([t, true, 0.8], [w, true, 0.8]);
      for (var k = Math.max(3, w.length - 4); k < w.length; k++) l.push([w.slice(0, k), false, 0.7]);
    }
    return l;
  }
  // queryTerms lists, for each word of the query, the terms it matches.
  function queryTerms(q, typing, lang) {
    var ws = words(q, lang);
    return ws.map(function (w, i) { return lookups(w, typing && i === ws.length - 1, lang); });
  }
  // hit reports whether a word of a result matches the query as the index
  // matches it: its term is a query term, or starts with a prefix one.
  function hit(tok, groups, lang) {
    return words(tok, lang).some(function (w) {
      var t = term(w, lang);
      return groups.some(function (g) {
        return g.some(function (l) { return l[1] ? t.startsWith(l[0]) : t === l[0]; });
      });
    });
  }
  // marks splits text into runs [text, marked], marking each word the query
  // matches, for <mark> in the results. typing: the last word is unfinished.
  function marks(text, q, typing, lang) {
    var groups = queryTerms(q, typing, lang), out = [], last = 0, re = /[\p{L}\p{M}\p{N}'\u2019]+/gu, m;
    function push(s, on) {
      var p = out[out.length - 1];
      if (!s) return;
      if (p && p[1] === on) p[0] += s; else out.push([s, on]);
    }
    while ((m = re.exec(text))) {
      push(text.slice(last, m.index), false);
      push(m[0], groups.length > 0 && hit(m[0], groups, lang));
      last = re.lastIndex;
    }
    push(text.slice(last), false);
    return out;
  }

  if (typeof document === 'undefined') { module.exports = { stem: stem, terms: terms, marks: marks, queryTerms: queryTerms }; return; }

  var form = document.querySelector('form[data-index]');
  if (!form) return;
  // The page's own language's index first; a Welsh page's search then
  // looks in the English pages too (data-fallback), listed after.
  var bases = [form.getAttribute('data-index')], input = form.elements.q;
  if (form.getAttribute('data-fallback')) bases.push(form.getAttribute('data-fallback'));
  var pageLang = form.getAttribute('data-lang') || 'en';
  // msg is an interface string that the layout wrote in the page's language.
  function msg(key, dflt) { return form.getAttribute('data-msg-' + key) || dflt; }
  var status = document.getElementById('search-status'), list = document.getElementById('search-results');
  var DIG = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var cache = {}, seq = 0, timer;

  function get(path) {
    return cache[path] || (cache[path] = fetch(path).then(function (r) {
      if (r.ok) return r.json();
      cache = {}; // a new index was published: start again from meta.json
      throw new Error(path + ': ' + r.status);
    }, function (e) { delete cache[path]; throw e; }));
  }
  // decode reads postings (see Index in site/search) into a map doc -> weight.
  function decode(s) {
    var m = new Map(), doc = -1, i = 0, g, sh, v;
    while (i < s.length) {
      g = 0; sh = 1;
      do { v = DIG.indexOf(s[i++]); g += (v & 31) * sh; sh *= 32; } while (v & 32);
      doc += g;
      m.set(doc, DIG.indexOf(s[i++]));
    }
    return m;
  }
  // shard returns the index of the last key <= t: the shard that holds t.
  function shard(keys, t) {
    var lo = 0, hi = keys.length - 1, r = 0, mid;
    while (lo <= hi) { mid = (lo + hi) >> 1; if (keys[mid] <= t) { r = mid; lo = mid + 1; } else hi = mid - 1; }
    return r;
  }
  // score sums, over the query words, each page's best weight times idf;
  // a page must match every word.
  function score(n, groups, shards) {
    var total;
    groups.forEach(function (g) {
      var sc = new Map();
      shards.forEach(function (s) {
        for (var t in s) {
          g.forEach(function (l) {
            if (l[1] ? !t.startsWith(l[0]) : t !== l[0]) return;
            var ps = decode(s[t]), idf = Math.log(1 + (n - ps.size + 0.5) / (ps.size + 0.5));
            ps.forEach(function (wt, d) { sc.set(d, Math.max(sc.get(d) || 0, wt * idf * l[2])); });
          });
        }
      });
      if (!total) total = sc;
      else total.forEach(function (v, d) { if (sc.has(d)) total.set(d, v + sc.get(d)); else total.delete(d); });
    });
    return Array.from(total).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }
  function run(q) {
    var ws = words(q, pageLang), my = ++seq, typing = !/\s$/.test(q);
    if (!ws.length) return show(my, q, [], q.trim() ? -2 : undefined);
    // An index that fails (a language with no pages to index yet) is
    // left out, as long as another answers.
    Promise.all(bases.map(function (b) {
      return find(b, q, typing).catch(function () { return null; });
    })).then(function (rs) {
      var rows = [], total = 0, ok = false;
      rs.forEach(function (r) { if (r) { ok = true; rows = rows.concat(r.rows); total += r.total; } });
      show(my, q, rows, ok ? total : -1);
    });
  }
  // find looks q up in the index at base, and gives the best 20 results as
  // rows, the number of results, and the index's language.
  function find(base, q, typing) {
    return get(base + 'meta.json').then(function (man) {
      var lang = man.l || 'en', dir = base + man.h + '/', groups = queryTerms(q, typing, lang);
      if (!groups.length) return { rows: [], total: 0 };
      var need = new Set();
      groups.forEach(function (g) {
        g.forEach(function (l) {
          var i = shard(man.t, l[0]);
          need.add(i);
          if (l[1]) while (++i < man.t.length && man.t[i].startsWith(l[0])) need.add(i);
        });
      });
      return Promise.all(Array.from(need, function (i) { return get(dir + 't/' + man.t[i] + '.json'); })).then(function (sh) {
        var found = score(man.n, groups, sh);
        return Promise.all(found.slice(0, 20).map(function (r) {
          var c = Math.floor(r[0] / man.c);
          return get(dir + 'd/' + c + '.json').then(function (rows) { return rows[r[0] - c * man.c].concat([lang]); });
        })).then(function (rows) { return { rows: rows, total: found.length }; });
      });
    });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    e.textContent = text || '';
    if (cls) e.className = cls;
    return e;
  }
  // marked is text with the words the query q matches in <mark>.
  function marked(tag, text, q, cls, lang) {
    var e = el(tag, '', cls);
    marks(text, q, !/\s$/.test(q), lang).forEach(function (r) {
      e.append(r[1] ? el('mark', r[0]) : r[0]);
    });
    return e;
  }
  // show lists the results and says how many there are in the live region.
  function show(my, q, rows, total) {
    if (my !== seq) return;
    var text = '', quoted = '\u201c' + q.trim() + '\u201d', a;
    list.textContent = '';
    if (total === -1) text = msg('broken', 'Search is not working at the moment. Try again, or use the A to Z of pages.');
    else if (total === -2) text = msg('common', 'Words such as “the” and “of” are too common to search for. Add another word.');
    else if (total === 0) {
      text = msg('none', 'No results for') + ' ' + quoted + '.';
      a = el('a', msg('az', 'A to Z of pages'));
      a.href = form.getAttribute('data-az');
      list.append(el('li', msg('spelling', 'Check the spelling, try other or fewer words, or look for the page in the') + ' ', 'search-none'));
      list.lastChild.append(a, '.');
    } else if (rows) {
      text = total + ' ' + (total === 1 ? msg('result', 'result for') : msg('results', 'results for')) + ' ' + quoted +
        (total > rows.length ? ', ' + msg('best', 'showing the best') + ' ' + rows.length : '') + '.';
      rows.forEach(function (r) {
        var li = el('li'), lang = r[4];
        a = marked('a', r[1], q, '', lang);
        a.href = r[0];
        if (lang !== pageLang) { li.lang = form.getAttribute('data-fallback-lang') || lang; a.hreflang = li.lang; }
        li.append(a);
        if (r[2]) li.append(el('span', r[2], 'search-section'));
        if (r[3]) li.append(marked('p', r[3], q, '', lang));
        list.append(li);
      });
    }
    if (status.textContent !== text) status.textContent = text;
  }
  function update() {
    var q = input.value.trim(), u = new URL(location.href);
    if (q) u.searchParams.set('q', q); else u.searchParams.delete('q');
    history.replaceState(null, '', u);
    run(input.value);
  }
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); update(); });
  var q0 = new URLSearchParams(location.search).get('q');
  if (q0) { input.value = q0; run(q0); }
})();
