"""Result records, the fleet summary and their renderings."""
