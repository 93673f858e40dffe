/**
 * The report's only script, inlined at the end of the page: it creates one asciinema player per
 * recording, seeks a player to a marker when its button is pressed, and zooms the timelines.
 * The players are exposed as `window.rsmlabReport.players[checkId]` for tests and the curious.
 */
export const REPORT_SCRIPT = `
(() => {
  const players = {};
  window.rsmlabReport = { players };
  for (const element of document.querySelectorAll('.player[data-cast]')) {
    players[element.dataset.check] = AsciinemaPlayer.create(element.dataset.cast, element, { preload: true, fit: 'width' });
  }

  function zoom(box, factor) {
    const svg = box.querySelector('svg');
    if (!svg) return;
    if (!svg.dataset.width) {
      const width = svg.width.baseVal.value || svg.getBBox().width;
      const height = svg.height.baseVal.value || svg.getBBox().height;
      if (!svg.getAttribute('viewBox')) svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
      svg.dataset.width = width;
      svg.dataset.height = height;
    }
    const scale = factor === 0 ? 1 : Math.min(8, Math.max(0.125, Number(svg.dataset.scale || 1) * factor));
    svg.dataset.scale = scale;
    svg.setAttribute('width', Number(svg.dataset.width) * scale);
    svg.setAttribute('height', Number(svg.dataset.height) * scale);
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.marker !== undefined) {
      const player = players[button.dataset.check];
      if (player) player.seek({ marker: Number(button.dataset.marker) });
    }
    if (button.dataset.zoom !== undefined) zoom(button.closest('.timeline'), Number(button.dataset.zoom));
  });
})();
`;
