(function () {
  function light(id) {
    document.querySelectorAll('.seg.active').forEach(function (e) { e.classList.remove('active'); });
    var found = document.querySelectorAll('.seg[data-seg="' + id + '"]');
    found.forEach(function (e) { e.classList.add('active'); });
    return found;
  }
  function counterpart(el) {
    var other = el.dataset.side === 'a' ? 'b' : 'a';
    return document.querySelector('.seg[data-seg="' + el.dataset.seg + '"][data-side="' + other + '"]');
  }
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest('.seg');
    if (!el) return;
    light(el.dataset.seg);
    var c = counterpart(el);
    if (c) c.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  });
  document.addEventListener('mouseover', function (ev) {
    var el = ev.target.closest('.seg');
    if (el) light(el.dataset.seg);
  });
  document.addEventListener('keydown', function (ev) {
    var el = document.activeElement;
    if (!el || !el.classList || !el.classList.contains('seg')) return;
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault(); light(el.dataset.seg);
      var c = counterpart(el); if (c) c.scrollIntoView({ block: 'nearest' });
    } else if (ev.key === 'j' || ev.key === 'k' || ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      var all = Array.prototype.slice.call(document.querySelectorAll('.seg[data-side="' + el.dataset.side + '"]'));
      var i = all.indexOf(el) + ((ev.key === 'j' || ev.key === 'ArrowDown') ? 1 : -1);
      if (i >= 0 && i < all.length) { ev.preventDefault(); all[i].focus(); light(all[i].dataset.seg); }
    } else if (ev.key === 'h' || ev.key === 'l' || ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
      var c2 = counterpart(el); if (c2) { ev.preventDefault(); c2.focus(); }
    }
  });
})();
