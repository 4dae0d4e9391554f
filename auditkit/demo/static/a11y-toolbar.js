/* 无障碍 toolbar, as county portals embed it: 放大/缩小, 高对比度, 大鼠标, 十字线 and 指读.
   toolbar_dead_button: 指读 is offered but does nothing (its reader was never licensed). */
(function () {
  var opener = document.querySelector('[data-a11y-toolbar]');
  if (!opener) { return; }
  var css = document.createElement('style');
  css.textContent =
    '#a11y-bar{position:fixed;left:0;right:0;bottom:0;z-index:9999;background:#1f2d3d;padding:6px;text-align:center}' +
    '#a11y-bar button{margin:0 4px;padding:6px 12px;font-size:16px;background:#fff;border:0}' +
    'html.a11y-contrast body,html.a11y-contrast body *{background:#000!important;color:#ff0!important}' +
    'html.a11y-cursor,html.a11y-cursor *{cursor:url("data:image/svg+xml,%3Csvg xmlns=\'http://www.w3.org/2000/svg\' ' +
    'width=\'48\' height=\'48\'%3E%3Cpath d=\'M2 2 L2 44 L13 33 L21 47 L27 44 L19 30 L35 30 Z\' fill=\'%23000\' ' +
    'stroke=\'%23fff\' stroke-width=\'2\'/%3E%3C/svg%3E") 2 2,auto!important}' +
    '.a11y-line{position:fixed;background:#e00;z-index:9998;pointer-events:none}';
  document.head.appendChild(css);
  var zoom = 1, lines = null;
  function move(ev) { lines[0].style.top = ev.clientY + 'px'; lines[1].style.left = ev.clientX + 'px'; }
  var actions = {
    '放大': function () { zoom = Math.min(zoom + 0.2, 2); document.body.style.zoom = zoom; },
    '缩小': function () { zoom = Math.max(zoom - 0.2, 1); document.body.style.zoom = zoom; },
    '高对比度': function () { document.documentElement.classList.toggle('a11y-contrast'); },
    '大鼠标': function () { document.documentElement.classList.toggle('a11y-cursor'); },
    '十字线': function () {
      if (lines) { lines.forEach(function (l) { l.remove(); }); lines = null;
        document.removeEventListener('mousemove', move); return; }
      lines = [document.createElement('div'), document.createElement('div')];
      lines[0].className = lines[1].className = 'a11y-line';
      lines[0].style.cssText = 'left:0;right:0;top:50%;height:2px';
      lines[1].style.cssText = 'top:0;bottom:0;left:50%;width:2px';
      lines.forEach(function (l) { document.body.appendChild(l); });
      document.addEventListener('mousemove', move);
    },
    '指读': function () {}
  };
  opener.addEventListener('click', function (ev) {
    ev.preventDefault();
    var bar = document.getElementById('a11y-bar');
    if (bar) { bar.remove(); return; }
    bar = document.createElement('div');
    bar.id = 'a11y-bar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', '无障碍工具条');
    Object.keys(actions).forEach(function (name) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = name;
      button.addEventListener('click', actions[name]);
      bar.appendChild(button);
    });
    document.body.appendChild(bar);
  });
})();
