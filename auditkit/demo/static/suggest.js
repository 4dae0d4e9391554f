/* 智能联想: suggestions while typing for every input[data-suggest] (its value is the JSON API). */
(function () {
  document.querySelectorAll('input[data-suggest]').forEach(function (input) {
    var list = document.createElement('ul');
    list.className = 'suggest-list';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.setAttribute('aria-autocomplete', 'list');
    input.parentNode.appendChild(list);
    input.addEventListener('input', function () {
      var q = input.value.trim();
      if (!q) { list.hidden = true; return; }
      fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (items) {
          list.textContent = '';
          items.forEach(function (text) {
            var li = document.createElement('li');
            li.setAttribute('role', 'option');
            li.textContent = text;
            li.addEventListener('mousedown', function () { input.value = text; input.form.submit(); });
            list.appendChild(li);
          });
          list.hidden = items.length === 0;
        });
    });
  });
})();
