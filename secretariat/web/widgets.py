"""A type-ahead picker for long choice lists: a plain <select> that tom-select (served from
node_modules) turns into a searchable box; without JavaScript it stays a working <select>."""

from django import forms


class TypeAheadSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-typeahead": "", **(attrs or {})}, choices)

    class Media:
        css = {"all": ["vendor/tom-select/css/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/js/tom-select.complete.min.js", "web/typeahead.js"]
